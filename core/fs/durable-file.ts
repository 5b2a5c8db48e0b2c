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
import * as nodeFs from 'node:fs';
import { dirname } from 'node:path';

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
 * Writes `data` to `path` and flushes it to the disk before returning. `flag` is `'w'` (create
 * or truncate) or `'wx'` (create only: EEXIST when the path exists); `mode` applies to a new file.
 */
export function writeSynced(
  path: string,
  data: string | Uint8Array,
  o: { readonly mode: number; readonly flag?: 'w' | 'wx'; readonly fs?: SyncFs },
): void {
  const fs = o.fs ?? nodeFs;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = fs.openSync(path, o.flag ?? 'w', o.mode);
  try {
    let done = 0;
    while (done < bytes.length) {
      done += fs.writeSync(fd, bytes, done, bytes.length - done);
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** What a file system that cannot flush a folder answers (some network and FUSE mounts). */
const CANNOT_FLUSH_FOLDER = new Set(['EINVAL', 'ENOTSUP', 'EOPNOTSUPP']);

/**
 * Flushes a folder's entries (a rename or link made in it) to the disk. Windows cannot open a
 * folder for this; NTFS journals the rename with its metadata, so there is nothing to do there.
 * A file system that refuses to flush a folder leaves nothing more to do either; any other
 * error (an I/O error) is thrown.
 */
export function syncFolder(folder: string, o: SyncOptions = {}): void {
  if ((o.platform ?? process.platform) === 'win32') {
    return;
  }
  const fs = o.fs ?? nodeFs;
  const fd = fs.openSync(folder, 'r');
  try {
    fs.fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined || !CANNOT_FLUSH_FOLDER.has(code)) {
      throw error;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Replaces `target` with `data` through `<target>.tmp`: after a crash or a power cut the target
 * holds the old bytes or the new ones, whole, never a mix or an empty file. With `lasting` the
 * folder is flushed too, so once this returns the new bytes are what a power cut leaves; without
 * it a power cut soon after may still bring back the old ones. A failed write (a full disk)
 * removes the temporary file and leaves the target as it was.
 */
export function replaceFile(
  target: string,
  data: string | Uint8Array,
  o: SyncOptions & { readonly mode: number; readonly lasting: boolean },
): void {
  const fs = o.fs ?? nodeFs;
  const tmp = `${target}.tmp`;
  try {
    writeSynced(tmp, data, { mode: o.mode, fs });
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  fs.renameSync(tmp, target);
  if (o.lasting) {
    syncFolder(dirname(target), o);
  }
}
