// Bootstrap of a Node engine worker (engine/pool/node.ts starts it). The engine is TypeScript run
// in place, as in bin/astra.js: register tsx, then import the TypeScript entry. The top-level
// await is safe in Node: messages wait on the worker's port until the entry attaches its
// listener (in browsers it is not; see worker-core.ts).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) });
await import('./node-worker.ts');
