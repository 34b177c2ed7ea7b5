// The export surface of the ASTRA kernels: nothing but re-exports. Every function takes raw
// addresses of f64 buffers the host placed with `scratchAlloc`, and returns a status (see
// util/status.ts) where it can fail.
export { scratchAlloc, scratchReset } from './util/scratch';
export { lastDetail } from './util/status';
export { fillUniforms } from './random/xoshiro';
export { fillNormals, zigguratEdges } from './random/ziggurat';
export { cholesky, lowerTimesVectors } from './linalg/cholesky';
