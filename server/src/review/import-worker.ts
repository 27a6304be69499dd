// Worker thread of imports (started by importer.ts through ts-worker.mjs): parses and checks one
// export at a time (import.ts), which takes seconds for a large one, off the server's event loop,
// and hands the result back in transferable pieces.
import { parentPort } from 'node:worker_threads';
import type { ErrorCode } from '../../../common/protocol.ts';
import { ServiceError } from '../sessions/errors.ts';
import { checkImport, type CheckedExport } from './import.ts';

export interface ImportJob {
  /** The request body: the export as UTF-8 JSON. */
  json: Uint8Array;
  /** Slugs of the exercises installed on this server. */
  installed: string[];
  snapshotEvery: number;
}

export type ImportReply = { ok: true; checked: CheckedExport } | { ok: false; code: ErrorCode; message: string };

const port = parentPort!;
port.on('message', (job: ImportJob) => {
  let reply: ImportReply;
  try {
    const installed = new Set(job.installed);
    reply = { ok: true, checked: checkImport(new TextDecoder().decode(job.json), (slug) => installed.has(slug), job.snapshotEvery) };
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err; // the parent logs it as a failure
    reply = { ok: false, code: err.code, message: err.message };
  }
  const transfer = reply.ok
    ? [
        reply.checked.updates.ids,
        reply.checked.updates.at,
        reply.checked.updates.by,
        ...Object.values(reply.checked.updates.data),
        ...Object.values(reply.checked.snapshots.data),
        reply.checked.snapshots.afterIndex,
      ].map((a) => a.buffer as ArrayBuffer)
    : [];
  port.postMessage(reply, transfer);
});
