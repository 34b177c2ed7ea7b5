#!/usr/bin/env node
// The `astra` command. The CLI is TypeScript run in place: tsx compiles cli/ and engine/ on the
// fly, so a checkout needs no separate CLI build (only `npm run build:wasm` for the demo).
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main, ignoreClosedStdout } = await import('../cli/main.ts');
ignoreClosedStdout();
process.exitCode = await main(process.argv.slice(2));
