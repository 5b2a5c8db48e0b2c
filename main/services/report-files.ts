/**
 * The files a report export leaves in the folder the supervisor chose. The CSV files of one
 * export are written all or none: each is flushed to the disk, then the folder, and if any step
 * fails the files this export made are removed, so "not stored" is true and trying again writes
 * the same names rather than `-2` copies beside half an export. A PDF replaces the chosen file
 * whole (an earlier report there stays as it was if the write fails).
 */
import { dirname, join } from 'node:path';
import * as nodeFs from 'node:fs';
import {
  removeQuietly,
  replaceFile,
  syncFolder,
  trySyncFolder,
  writeSynced,
  type SyncOptions,
} from '../../core/fs/durable-file';

/** One file of an export: its name without the extension, and its text. */
export type ReportFile = { readonly base: string; readonly data: string };

/** Names tried for one file before giving up: `name`, `name-2` … `name-99`. */
const MAX_SUFFIX = 99;

/**
 * Writes `data` to `folder/base.ext`, or `base-2.ext`, `base-3.ext`… when a file of that name
 * exists, flushed to the disk. A file it could not finish is removed by `writeSynced`.
 */
function writeNew(folder: string, base: string, ext: string, data: string, o: SyncOptions): string {
  for (let n = 1; ; n += 1) {
    const file = join(folder, n === 1 ? `${base}.${ext}` : `${base}-${n}.${ext}`);
    try {
      writeSynced(file, data, { flag: 'wx', mode: 0o600, ...(o.fs ? { fs: o.fs } : {}) });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= MAX_SUFFIX) {
        throw error;
      }
    }
  }
}

/**
 * Writes every CSV file into `folder` and flushes the folder; returns their paths. Throws the
 * first failure (a full disk, an I/O error) after removing what it wrote.
 */
export function writeCsvFiles(folder: string, files: readonly ReportFile[], o: SyncOptions = {}): string[] {
  const fs = o.fs ?? nodeFs;
  const made: string[] = [];
  try {
    for (const f of files) {
      made.push(writeNew(folder, f.base, 'csv', f.data, o));
    }
    // The new names too, so the files reported written are there after a power cut.
    syncFolder(folder, o);
    return made;
  } catch (error) {
    for (const file of made) {
      removeQuietly(fs, file);
    }
    throw error;
  }
}

/**
 * Replaces `file` with the PDF's bytes through a flushed temporary file. Returns false when the
 * PDF is in place but its folder could not be flushed (a network share failing): the file is
 * there to open, but a power cut soon after might bring back what was there before. The earlier
 * file is gone by then, so removing the new one would leave neither: it stays, and the caller
 * says so in its log.
 */
export function writePdf(file: string, bytes: Uint8Array, o: SyncOptions = {}): boolean {
  replaceFile(file, bytes, { mode: 0o600, lasting: false, ...o });
  return trySyncFolder(dirname(file), o);
}
