/**
 * Files that must come back whole after a power cut, not only after a crash of the process.
 *
 * A rename makes a replacement atomic for other processes, but on its own it says nothing about
 * the disk: file systems that allocate late (ext4 without `auto_da_alloc`, XFS, btrfs, APFS)
 * may commit the rename in their journal before the new file's bytes, so a power cut leaves the
 * name pointing at an empty or short file. Here the new bytes are flushed (`fsync`) before the
 * rename or link that puts them in place, and where a caller needs the new name itself to last,
 * the folder is flushed after it.
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { dirname, join } from 'node:path';

/** The calls this module makes: node:fs, or a model of a disk in tests. */
export type SyncFs = Pick<
  typeof nodeFs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'closeSync' | 'renameSync' | 'rmSync'
>;

export type SyncOptions = {
  readonly fs?: SyncFs;
  /** Defaults to this process's platform. */
  readonly platform?: NodeJS.Platform;
};

/**
 * Removes a file this module made, after a failure: a removal that fails too (Windows, where a
 * scanner may hold a file just closed) must not hide the error that matters.
 */
export function removeQuietly(fs: Pick<SyncFs, 'rmSync'>, path: string): void {
  try {
    fs.rmSync(path, { force: true });
  } catch {
    // The first error is the one to report.
  }
}

/**
 * Writes all of `bytes` at the file's position: a write may take fewer bytes than it was given.
 * One that takes none is an error rather than a loop.
 */
export function writeAll(fd: number, data: Uint8Array, o: { readonly fs?: SyncFs; readonly path: string }): void {
  const fs = o.fs ?? nodeFs;
  if (!ArrayBuffer.isView(data)) {
    // Anything else would write nothing, and an empty file could take the target's place.
    throw new TypeError(`Only bytes can be written to ${o.path}.`);
  }
  // Every byte of the view, whatever its kind (a DataView has no length; a Uint16Array's counts
  // elements, not bytes).
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let done = 0;
  while (done < bytes.length) {
    const n = fs.writeSync(fd, bytes, done, bytes.length - done);
    if (n <= 0) {
      throw Object.assign(new Error(`EIO: the write to ${o.path} made no progress`), { code: 'EIO', path: o.path });
    }
    done += n;
  }
}

/**
 * Writes `data` to `path` and flushes it to the disk before returning. `flag` is `'w'` (create
 * or truncate) or `'wx'` (create only: EEXIST when the path exists, a symbolic link included);
 * `mode` applies to a new file. A file made here with `'wx'` is this call's own: when the write,
 * the flush or the close fails (a full disk), it is removed, so no half-written file is left
 * under the name. A file that was already there (EEXIST) is never touched.
 */
export function writeSynced(
  path: string,
  data: string | Uint8Array,
  o: { readonly mode: number; readonly flag?: 'w' | 'wx'; readonly fs?: SyncFs },
): void {
  const fs = o.fs ?? nodeFs;
  const flag = o.flag ?? 'w';
  const fd = fs.openSync(path, flag, o.mode);
  let open = true;
  try {
    writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, { fs, path });
    fs.fsyncSync(fd);
    open = false;
    fs.closeSync(fd);
  } catch (error) {
    if (open) {
      // The write's own error is the one to report, not a failure to close after it.
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing.
      }
    }
    if (flag === 'wx') {
      removeQuietly(fs, path);
    }
    throw error;
  }
}

/** What a file system that cannot flush a folder answers (some network and FUSE mounts). */
const CANNOT_FLUSH_FOLDER = ['EINVAL', 'ENOTSUP', 'EOPNOTSUPP'];

const hasCode = (error: unknown, codes: readonly string[]): boolean => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code !== undefined && codes.includes(code);
};

/**
 * Flushes a folder's entries (a rename or link made in it) to the disk. Windows cannot open a
 * folder for this: there NTFS makes the rename atomic through its journal, but a power cut soon
 * after it may still bring back the old name. A file system that refuses to flush a folder
 * leaves nothing more to do; any other error (an I/O error) is thrown.
 */
export function syncFolder(folder: string, o: SyncOptions = {}): void {
  if ((o.platform ?? process.platform) === 'win32') {
    return;
  }
  const fs = o.fs ?? nodeFs;
  let fd: number;
  try {
    fd = fs.openSync(folder, 'r');
  } catch (error) {
    // A folder this user may write to but not read: it cannot be flushed from here.
    if (hasCode(error, ['EACCES', 'EPERM'])) {
      return;
    }
    throw error;
  }
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    if (!hasCode(error, CANNOT_FLUSH_FOLDER)) {
      throw error;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Flushes a folder as {@link syncFolder} does, for a file already in place that a caller keeps
 * whatever happens (the earlier file it replaced is gone): false when the flush failed, so the
 * caller can say so instead of reporting a write that did happen as failed.
 */
export function trySyncFolder(folder: string, o: SyncOptions = {}): boolean {
  try {
    syncFolder(folder, o);
    return true;
  } catch {
    return false;
  }
}

/** The temporary name `replaceFile` writes under: the target's name, 12 random hex digits, `.tmp`. */
export const temporaryName = (target: string): string => `${target}.${randomBytes(6).toString('hex')}.tmp`;

/** A temporary name of `replaceFile` for a file called `name` (no folder). */
const isTemporaryOf = (entry: string, name: string): boolean =>
  entry.length === name.length + 17 &&
  entry.startsWith(`${name}.`) &&
  /^\.[0-9a-f]{12}\.tmp$/.test(entry.slice(name.length));

/**
 * Removes the temporary files a crash left beside `names` in `folder` (a power cut or a kill
 * between `replaceFile`'s create and its rename). Only those last changed at least `olderThanMs`
 * ago: a write of another process in progress on the same folder keeps its file. Best effort:
 * a folder or file that cannot be read or removed is left as it is. Returns what was removed.
 */
export function sweepTemporaries(
  folder: string,
  names: readonly string[],
  o: { readonly olderThanMs: number; readonly now: number },
): string[] {
  let entries: string[];
  try {
    entries = nodeFs.readdirSync(folder);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries.filter((e) => names.some((name) => isTemporaryOf(e, name)))) {
    const path = join(folder, entry);
    try {
      const st = nodeFs.lstatSync(path);
      if (st.isFile() && o.now - st.mtimeMs >= o.olderThanMs) {
        nodeFs.rmSync(path);
        removed.push(path);
      }
    } catch {
      // Gone already, or not ours to remove: nothing to do.
    }
  }
  return removed;
}

/**
 * Replaces `target` with `data` (one text or buffer, or several buffers written one after the
 * other) through a temporary file beside it: after a crash or a power cut
 * the target holds the old bytes or the new ones, whole, never a mix or an empty file. With
 * `lasting` the folder is flushed too, so once this returns the new bytes are what a power cut
 * leaves (on POSIX file systems); without it a power cut soon after may still bring back the
 * old ones. The temporary name is new each time and made exclusively, so no file already there
 * (someone's own `report.pdf.tmp`, a symbolic link, another writer's copy) is written through or
 * removed, and `mode` always holds. A failed write (a full disk) or rename removes the temporary
 * file and leaves the target as it was; a crash may leave one beside it.
 */
export function replaceFile(
  target: string,
  data: string | Uint8Array | readonly Uint8Array[],
  o: SyncOptions & { readonly mode: number; readonly lasting: boolean },
): void {
  const fs = o.fs ?? nodeFs;
  const tmp = temporaryName(target);
  const parts: readonly Uint8Array[] =
    typeof data === 'string' ? [Buffer.from(data, 'utf8')] : Array.isArray(data) ? data : [data as Uint8Array];
  const fd = fs.openSync(tmp, 'wx', o.mode);
  let open = true;
  try {
    for (const part of parts) {
      writeAll(fd, part, { fs, path: tmp });
    }
    fs.fsyncSync(fd);
    open = false;
    fs.closeSync(fd);
    fs.renameSync(tmp, target);
  } catch (error) {
    if (open) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing: the first error is the one to report.
      }
    }
    removeQuietly(fs, tmp);
    throw error;
  }
  if (o.lasting) {
    syncFolder(dirname(target), o);
  }
}
