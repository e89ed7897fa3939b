// The worker thread that reads one uploaded document (started by parseDocument): converters and
// regular expressions run here, under the heap limit and timeout the parent set, never on the
// service's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { parseDocumentHere, type DocumentInput } from './document-parser';
import { DocumentError } from './parsed-document';

const input = workerData as Omit<DocumentInput, 'data'> & { data: Uint8Array };

parseDocumentHere({ ...input, data: Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength) }).then(
  (document) => parentPort?.postMessage({ ok: true, document }),
  (error: unknown) =>
    parentPort?.postMessage(
      error instanceof DocumentError
        ? { ok: false, code: error.code, message: error.message, problems: error.problems }
        : { ok: false, code: 'UNREADABLE', message: `${input.fileName} could not be read (${(error as Error).message})`, problems: [] },
    ),
);
