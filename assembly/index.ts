// The export surface of the ASTRA kernels: nothing but re-exports. Every function takes raw
// addresses of f64 buffers the host placed with `scratchAlloc`, and returns a status (see
// util/status.ts) where it can fail. The engine checks this list at load (engine/kernels.ts).
export { scratchAlloc, scratchReset } from './util/scratch';
export { lastDetail, STATUS_OK, STATUS_NOT_POSITIVE_DEFINITE, STATUS_NON_FINITE_INPUT, STATUS_BAD_SIZE, STATUS_NO_CONVERGENCE } from './util/status';
export { fillUniforms, seedStream } from './random/xoshiro';
export { fillNormals, fillNormalsNext, zigguratEdges } from './random/ziggurat';
export { mcNormals } from './random/mcnormal';
export { cholesky, lowerTimesVectors } from './linalg/cholesky';
export { covariance, weightedCovariance } from './stats/cov';
export { symmetricEigen } from './linalg/eigen';
export { expm1Many } from './risk/expm1';
export { mcPathsBlock, mcTerminalBlock, mcPriceDays, mcPriceTerminal } from './risk/montecarlo';
export { qpSolve, qpWorkBytes } from './portfolio/qp';
export { pairInit, pairRun, kalmanLogLik, pairLayout, pairPricesValid, pairSessionsOrdered } from './pairs/kalman';
export { engleGranger, engleGrangerWork } from './pairs/scan';
