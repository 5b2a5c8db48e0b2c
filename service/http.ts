/** Small HTTP helpers for the reference service: bounded bodies, JSON answers, typed errors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { ProtocolErrorCode } from '../shared/sync/protocol';

/** An expected failure, answered as `{ error: { code, message } }` with this status. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ProtocolErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    /** Already in the audit trail (the route recorded it itself). */
    readonly audited = false,
  ) {
    super(message);
  }
}

/** Reads the whole body, refusing (413) as soon as it passes `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Discard the rest so the 413 can still be delivered, then close the connection.
        req.removeAllListeners('data');
        req.resume();
        reject(
          new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes.`, { connection: 'close' }),
        );
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses a JSON body with a strict schema; any problem is a 400 naming the first bad field. */
export function parseJson<S extends z.ZodType>(body: Buffer, schema: S): z.infer<S> {
  let raw: unknown;
  try {
    raw = body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'bad_request', 'The body is not JSON.');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
    throw new HttpError(400, 'bad_request', `${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data as z.infer<S>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(bytes.length),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(bytes);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.headers);
}

/** The bearer token of a request, or undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer ([A-Za-z0-9_-]{16,256})$/.exec(header) : null;
  return match?.[1];
}
