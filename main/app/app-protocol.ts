/**
 * Serves the built renderer for the `app://` scheme, confined to one folder. Pure Node: the
 * Electron protocol handler and the browser test harness both answer requests with it.
 */
import { realpath, readFile, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { isInside } from '../../core/fs/path-inside';
import { isSameOrigin } from '../ipc/origin';
import { SECURITY_HEADERS } from './security-headers';

export type AppResponse = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** ArrayBuffer-backed, so it is a valid `Response` body under both Node's and the DOM's typings. */
  readonly body: Buffer<ArrayBuffer> | null;
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

function answer(
  status: number,
  body: Buffer<ArrayBuffer> | null,
  contentType = 'text/plain; charset=utf-8',
): AppResponse {
  return { status, headers: { ...SECURITY_HEADERS, 'Content-Type': contentType }, body };
}

const text = (status: number, message: string): AppResponse => answer(status, Buffer.from(message));

/**
 * Maps a request URL to a file under `root`. Refuses other origins, encoded traversal, NUL and
 * backslashes, and anything (including a symlink) that resolves outside `root`.
 */
export async function serveAppRequest(root: string, origin: string, url: string, method = 'GET'): Promise<AppResponse> {
  if (method !== 'GET' && method !== 'HEAD') {
    return text(405, 'Method not allowed');
  }
  if (!isSameOrigin(url, origin)) {
    return text(403, 'Forbidden');
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return text(400, 'Bad request');
  }
  if (pathname.includes('\0') || pathname.includes('\\')) {
    return text(400, 'Bad request');
  }
  const wanted = pathname === '/' ? '/index.html' : pathname;
  const candidate = resolve(root, `.${wanted}`);
  if (!isInside(root, candidate)) {
    return text(403, 'Forbidden');
  }
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)]);
    if (!isInside(realRoot, realFile) || !(await stat(realFile)).isFile()) {
      return text(404, 'Not found');
    }
    const body = await readFile(realFile);
    const type = CONTENT_TYPES[extname(realFile).toLowerCase()] ?? 'application/octet-stream';
    return answer(200, method === 'HEAD' ? null : body, type);
  } catch {
    return text(404, 'Not found');
  }
}
