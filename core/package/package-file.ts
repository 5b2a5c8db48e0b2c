/**
 * Where a package's bytes come from: a file on disk (an offline delivery, `batch verify`) or
 * bytes already in memory (a checkout the service just sent). Only a regular file is opened,
 * and a read that comes up short refuses the package as truncated instead of handing back a
 * partly filled buffer.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { PackageRefusedError, refuse } from './package-refusal';

/** Random access to a package's bytes. A returned buffer may be a view: copy what must outlive the next read. */
export type PackageSource = {
  readonly size: number;
  /** Up to `length` bytes from `position`: fewer only at the end. */
  readInto(target: Buffer, length: number, position: number): number;
  /** For bytes already in memory: a view of `length` bytes from `position`, or fewer at the end. */
  readonly view?: (length: number, position: number) => Buffer;
  close(): void;
};

/** Opens `file` for reading when it is a regular file; refuses the package otherwise. */
export function openFile(file: string): number {
  try {
    // A directory would fail later with a bare EISDIR, and opening a named pipe blocks main
    // until something writes to it: only a regular file is opened at all.
    if (!statSync(file).isFile()) {
      return refuse('The package path does not name a regular file.');
    }
    return openSync(file, 'r');
  } catch (error) {
    if (error instanceof PackageRefusedError) {
      throw error;
    }
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return refuse(`The package file cannot be opened (${code}).`);
  }
}

/** A package file or the package's bytes, behind one interface. */
export function openSource(from: string | Uint8Array): PackageSource {
  if (typeof from !== 'string') {
    const bytes = Buffer.from(from.buffer, from.byteOffset, from.byteLength);
    return {
      size: bytes.length,
      readInto: (target, length, position) =>
        bytes.copy(target, 0, position, Math.min(bytes.length, position + length)),
      view: (length, position) => bytes.subarray(position, Math.min(bytes.length, position + length)),
      close: () => undefined,
    };
  }
  const fd = openFile(from);
  return {
    size: fstatSync(fd).size,
    readInto: (target, length, position) => readSync(fd, target, 0, length, position),
    close: () => closeSync(fd),
  };
}

/** Exactly `length` bytes from `position`, or the package is refused as truncated. */
export function readExactly(source: PackageSource, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = source.readInto(buffer.subarray(done), length - done, position + done);
    if (n === 0) {
      refuse('The package is truncated.');
    }
    done += n;
  }
  return buffer;
}

const READ_AHEAD_BYTES = 1024 * 1024;

/** Reads clip bodies in order; see `sequentialReader`. */
export type BodyReader = ((length: number, position: number) => Buffer) & {
  /**
   * For a reader that keeps bodies: the caller holds none of the bodies handed out so far any
   * more, so the windows they were read into (but the one in use) may be read into again.
   */
  readonly release: () => void;
};

/**
 * Sequential reads of clip bodies through a 1 MiB window: one system call per window rather
 * than per clip. By default the window is reused and a returned slice is valid until the next
 * call. With `keep`, every slice stays valid for as long as it is held, until `release`: each
 * refill reads into a window of its own, and bytes already in memory are handed out as views of
 * themselves, so a caller that keeps a chunk of bodies need not copy each one. Windows given
 * back by `release` are read into again rather than new memory, which costs the kernel a fresh
 * page for every 4 KiB.
 */
export function sequentialReader(source: PackageSource, start: number, keep = false): BodyReader {
  const view = keep ? source.view : undefined;
  let window: Buffer = Buffer.allocUnsafe(keep && view ? 0 : READ_AHEAD_BYTES);
  let windowStart = start;
  let windowEnd = start;
  /** With `keep`: windows read into before the current one, and those free to be read into again. */
  let held: Buffer[] = [];
  const free: Buffer[] = [];
  const read = (length: number, position: number): Buffer => {
    if (view) {
      const bytes = view(length, position);
      if (bytes.length < length) {
        refuse('The package is truncated.');
      }
      return bytes;
    }
    if (length > READ_AHEAD_BYTES) {
      return readExactly(source, length, position);
    }
    if (position < windowStart || position + length > windowEnd) {
      if (keep) {
        held.push(window);
        window = free.pop() ?? Buffer.allocUnsafe(READ_AHEAD_BYTES);
      }
      const n = source.readInto(window, READ_AHEAD_BYTES, position);
      windowStart = position;
      windowEnd = position + n;
      if (n < length) {
        refuse('The package is truncated.');
      }
    }
    return window.subarray(position - windowStart, position - windowStart + length);
  };
  const release = (): void => {
    for (const w of held) {
      if (w.length === READ_AHEAD_BYTES) {
        free.push(w);
      }
    }
    held = [];
  };
  return Object.assign(read, { release });
}
