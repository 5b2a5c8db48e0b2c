/**
 * A small HTTP client for tests that attack the service over real loopback HTTP: JSON in and
 * out, and a choice of source address (127.0.0.x) so limits keyed by source can be exercised.
 */
import { request } from 'node:http';

export type Answer = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
};

export type CallOptions = {
  readonly token?: string;
  readonly json?: unknown;
  /** The local address to connect from (the service sees it as the source). */
  readonly from?: string;
};

export function call(baseUrl: string, method: string, path: string, o: CallOptions = {}): Promise<Answer> {
  const url = new URL(path, baseUrl);
  const payload = o.json === undefined ? undefined : Buffer.from(JSON.stringify(o.json), 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        ...(o.from ? { localAddress: o.from } : {}),
        // One connection per call, so concurrent calls really are concurrent.
        agent: false,
        headers: {
          ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = (res.headers['content-type'] ?? '').includes('json');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: json && text ? (JSON.parse(text) as unknown) : text,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** The error code of an answer, or null. */
export const codeOf = (a: Answer): string | null =>
  (a.body as { error?: { code?: string } } | null)?.error?.code ?? null;
