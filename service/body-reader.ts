/**
 * Reads a request body piece by piece, exactly as many bytes as asked and never more, so a route
 * can check what it has read (a header, a signature) before it decides to read on. Every byte
 * consumed is counted through `onRead`.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http';

export type BodyReader = {
  /** The next `n` bytes; a 400 when the body ends first. */
  take(n: number): Promise<Buffer>;
  /** The next `n` bytes, handed to `each` chunk by chunk as they arrive, then joined. */
  stream(n: number, each: (chunk: Buffer) => void): Promise<Buffer>;
  /** Refuses (400) if any byte follows what was taken. */
  expectEnd(): Promise<void>;
};

export function bodyReader(req: IncomingMessage, onRead: (n: number) => void): BodyReader {
  const chunks = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer = Buffer.alloc(0);

  /** At least one more byte in `pending`, or false at the end of the body. */
  const fill = async (): Promise<boolean> => {
    const next = await chunks.next();
    if (next.done) {
      return false;
    }
    onRead(next.value.length);
    pending = pending.length === 0 ? next.value : Buffer.concat([pending, next.value]);
    return true;
  };

  const stream = async (n: number, each: (chunk: Buffer) => void): Promise<Buffer> => {
    // One buffer of the size asked for, filled as chunks arrive: never a second copy of the body.
    const out = Buffer.allocUnsafe(n);
    let got = 0;
    while (got < n) {
      if (pending.length === 0 && !(await fill())) {
        throw new HttpError(400, 'bad_request', `The body ended after ${got} of the ${n} bytes expected.`);
      }
      const part = pending.subarray(0, n - got);
      pending = pending.subarray(part.length);
      each(part);
      part.copy(out, got);
      got += part.length;
    }
    return out;
  };

  return {
    take: (n) => stream(n, () => undefined),
    stream,
    async expectEnd() {
      if (pending.length > 0 || (await fill())) {
        throw new HttpError(400, 'bad_request', 'The body has bytes after the end its header declares.');
      }
    },
  };
}
