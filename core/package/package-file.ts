/**
 * Reading a package file: only a regular file is opened, and a read that comes up short refuses
 * the package as truncated instead of handing back a partly filled buffer.
 */
import { openSync, readSync, statSync } from 'node:fs';
import { PackageRefusedError, refuse } from './package-refusal';

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

/** Exactly `length` bytes from `position`, or the package is refused as truncated. */
export function readExactly(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) {
      refuse('The package is truncated.');
    }
    done += n;
  }
  return buffer;
}

const READ_AHEAD_BYTES = 1024 * 1024;

/**
 * Sequential reads of clip bodies through one reused 1 MiB window: one system call per window
 * rather than per clip. A returned slice is valid until the next call.
 */
export function sequentialReader(fd: number, start: number) {
  const window = Buffer.allocUnsafe(READ_AHEAD_BYTES);
  let windowStart = start;
  let windowEnd = start;
  return (length: number, position: number): Buffer => {
    if (length > READ_AHEAD_BYTES) {
      return readExactly(fd, length, position);
    }
    if (position < windowStart || position + length > windowEnd) {
      const n = readSync(fd, window, 0, READ_AHEAD_BYTES, position);
      windowStart = position;
      windowEnd = position + n;
      if (n < length) {
        refuse('The package is truncated.');
      }
    }
    return window.subarray(position - windowStart, position - windowStart + length);
  };
}
