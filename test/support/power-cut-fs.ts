/**
 * A model of a disk behind a page cache, for what a power cut leaves of files written through
 * `SyncFs` (core/fs/durable-file.ts). Bytes written reach the disk only at an fsync of their
 * file; names made or changed (create, rename, remove) reach it at an fsync of their folder.
 * `afterPowerCut` answers what a path holds once the power comes back, in the two cases a real
 * file system allows: its journal committed the pending names (the late-allocation hazard:
 * names kept, unflushed bytes gone) or it did not (names and bytes as last flushed).
 */
import { dirname } from 'node:path';
import type { SyncFs } from '../../core/fs/durable-file';

type Inode = { cached: Buffer; flushed: Buffer };
type Handle = { readonly kind: 'file'; readonly inode: Inode } | { readonly kind: 'folder'; readonly path: string };

export type PowerCut = 'names-kept' | 'names-lost';

const errno = (code: string, path: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: ${path}`), { code, path });

export type PowerCutFs = SyncFs & {
  /** Puts `bytes` at `path` as already on the disk (the state before the code under test runs). */
  seed(path: string, bytes: string | Buffer): void;
  /** What `path` holds now, as the running system sees it. */
  read(path: string): Buffer | undefined;
  /** What `path` would hold after a power cut now. */
  afterPowerCut(path: string, cut: PowerCut): Buffer | undefined;
  /** Paths as the running system sees them. */
  paths(): string[];
  /** Makes the next write fail with this code (ENOSPC, EIO) once `afterBytes` have been written. */
  failNextWrite(code: string, afterBytes: number): void;
  /** Runs `check` after every call that changes anything, cached or on the disk. */
  everyStep(check: () => void): void;
};

export function createPowerCutFs(): PowerCutFs {
  const names = new Map<string, Inode>();
  const flushedNames = new Map<string, Inode>();
  const handles = new Map<number, Handle>();
  let nextFd = 100;
  let failure: { code: string; afterBytes: number } | null = null;
  let check: () => void = () => undefined;
  const stepped = <T>(result: T): T => {
    check();
    return result;
  };

  const handle = (fd: number): Handle => {
    const h = handles.get(fd);
    if (!h) {
      throw errno('EBADF', String(fd));
    }
    return h;
  };

  const model = {
    seed(path: string, bytes: string | Buffer) {
      const b = Buffer.from(bytes);
      const inode = { cached: b, flushed: b };
      names.set(path, inode);
      flushedNames.set(path, inode);
    },
    read: (path: string) => names.get(path)?.cached,
    afterPowerCut(path: string, cut: PowerCut) {
      return (cut === 'names-kept' ? names : flushedNames).get(path)?.flushed;
    },
    paths: () => [...names.keys()],
    failNextWrite(code: string, afterBytes: number) {
      failure = { code, afterBytes };
    },
    everyStep(fn: () => void) {
      check = fn;
    },

    openSync(path: string, flag: string, _mode?: number) {
      const fd = (nextFd += 1);
      if (flag === 'r') {
        // Only folders are opened for reading here (to flush them); a folder exists if any name is in it.
        handles.set(fd, { kind: 'folder', path });
        return fd;
      }
      const existing = names.get(path);
      if (existing && flag === 'wx') {
        throw errno('EEXIST', path);
      }
      if (existing) {
        existing.cached = Buffer.alloc(0);
        existing.flushed = Buffer.alloc(0);
        handles.set(fd, { kind: 'file', inode: existing });
      } else {
        const inode = { cached: Buffer.alloc(0), flushed: Buffer.alloc(0) };
        names.set(path, inode);
        handles.set(fd, { kind: 'file', inode });
      }
      return stepped(fd);
    },
    writeSync(fd: number, buffer: Uint8Array, offset = 0, length = buffer.length - offset) {
      const h = handle(fd);
      if (h.kind !== 'file') {
        throw errno('EISDIR', h.path);
      }
      let n = length;
      if (failure) {
        n = Math.min(length, failure.afterBytes);
        const { code } = failure;
        failure = null;
        h.inode.cached = Buffer.concat([h.inode.cached, buffer.subarray(offset, offset + n)]);
        check();
        throw errno(code, 'write');
      }
      h.inode.cached = Buffer.concat([h.inode.cached, buffer.subarray(offset, offset + n)]);
      return stepped(n);
    },
    fsyncSync(fd: number) {
      const h = handle(fd);
      if (h.kind === 'file') {
        h.inode.flushed = Buffer.from(h.inode.cached);
        check();
        return;
      }
      for (const path of [...flushedNames.keys()].filter((p) => dirname(p) === h.path)) {
        flushedNames.delete(path);
      }
      for (const [path, inode] of names) {
        if (dirname(path) === h.path) {
          flushedNames.set(path, inode);
        }
      }
      check();
    },
    closeSync(fd: number) {
      handle(fd);
      handles.delete(fd);
    },
    renameSync(from: string, to: string) {
      const inode = names.get(from);
      if (!inode) {
        throw errno('ENOENT', from);
      }
      names.delete(from);
      names.set(to, inode);
      check();
    },
    rmSync(path: string, o?: { force?: boolean }) {
      if (!names.delete(path) && !o?.force) {
        throw errno('ENOENT', path);
      }
      check();
    },
  };
  return model as unknown as PowerCutFs;
}
