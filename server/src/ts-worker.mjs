// Starts a worker thread on a TypeScript module (workerData.module, a file: URL): Node 20 cannot
// load TypeScript by itself, so tsx is registered in the thread first. Plain JavaScript, so that
// Node, tsx and vitest all start it the same way.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
