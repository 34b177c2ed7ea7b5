// Types of Comlink's Node adapter. The package ships them as node-adapter.d.ts beside the .mjs,
// which TypeScript's resolver does not pair with an .mjs import.
declare module 'comlink/dist/esm/node-adapter.mjs' {
  import type { Endpoint } from 'comlink';

  /** A `worker_threads` Worker or MessagePort (`parentPort`). */
  export interface NodeEndpoint {
    postMessage(message: unknown, transfer?: readonly unknown[]): void;
    on(type: string, listener: (...args: any[]) => void): unknown;
    off(type: string, listener: (...args: any[]) => void): unknown;
    start?: () => void;
  }

  /** Adapt a Node endpoint to the DOM-style `Endpoint` Comlink speaks. */
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
