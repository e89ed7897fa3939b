// Caps what a zip (a .docx) may unpack to before the converter inflates it. A 13 KiB DOCX that
// unpacked to 4 MiB took mammoth 4 s and 413 MiB of heap; a few hundred KB would exhaust memory.
// The sizes an archive declares can lie, so every entry is inflated here, into a buffer that
// zlib refuses to grow past what is left of the budget, and only the counts are kept.
import { inflateRawSync } from 'node:zlib';
import { DocumentError } from './parsed-document';

export interface ZipBudget {
  /** Unpacked bytes allowed per packed byte (real Word files: well under 20). */
  ratio: number;
  /** Unpacked bytes allowed whatever the file's size. */
  maxBytes: number;
}

export const DOCX_BUDGET: ZipBudget = { ratio: 100, maxBytes: 64 * 1024 * 1024 };

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_ENTRY = 0x04034b50;

/** Throws DocumentError('TOO_LARGE') if the archive unpacks to more than the budget allows. */
export function checkUnpackedSize(fileName: string, data: Buffer, budget: ZipBudget = DOCX_BUDGET): void {
  const allowed = Math.min(budget.maxBytes, Math.max(1024 * 1024, data.length * budget.ratio));
  const tooLarge = () =>
    new DocumentError(
      'TOO_LARGE',
      `${fileName} unpacks to more than ${(allowed / 1024 / 1024).toFixed(1)} MB, which a document of its size should not; save it again from Word, or split it`,
    );
  let total = 0;
  for (const entry of entries(data)) {
    const remaining = allowed - total;
    if (entry.method === 0) {
      total += entry.compressedSize;
    } else if (entry.method === 8) {
      try {
        total += inflateRawSync(data.subarray(entry.dataStart, entry.dataStart + entry.compressedSize), {
          maxOutputLength: Math.max(1, remaining + 1),
        }).length;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
        return; // Damaged data: the converter reports the file as unreadable.
      }
    }
    if (total > allowed) throw tooLarge();
  }
}

interface Entry {
  method: number;
  compressedSize: number;
  dataStart: number;
}

/** The archive's entries from its central directory; none if the structure is not a zip's. */
function* entries(data: Buffer): Generator<Entry> {
  const eocd = findEndOfCentralDirectory(data);
  if (eocd < 0) return;
  const count = data.readUInt16LE(eocd + 10);
  let at = data.readUInt32LE(eocd + 16);
  for (let i = 0; i < count && at + 46 <= data.length && data.readUInt32LE(at) === CENTRAL_ENTRY; i += 1) {
    const method = data.readUInt16LE(at + 10);
    const compressedSize = data.readUInt32LE(at + 20);
    const local = data.readUInt32LE(at + 42);
    at += 46 + data.readUInt16LE(at + 28) + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
    if (local + 30 > data.length || data.readUInt32LE(local) !== LOCAL_ENTRY) continue;
    const dataStart = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    if (dataStart + compressedSize > data.length) continue;
    yield { method, compressedSize, dataStart };
  }
}

function findEndOfCentralDirectory(data: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  for (let at = data.length - 22; at >= Math.max(0, data.length - 22 - 0xffff); at -= 1) {
    if (data.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return -1;
}
