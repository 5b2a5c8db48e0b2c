import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveAppRequest } from '../../../main/app/app-protocol';
import { APP_ORIGIN } from '../../../main/app/origin';
import { CONTENT_SECURITY_POLICY } from '../../../main/app/security-headers';

const SECRET = 'root:x:0:0:secret';

describe('serveAppRequest', () => {
  let base: string;
  let root: string;

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'earmark-protocol-'));
    root = join(base, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>Earmark</title>');
    await writeFile(join(root, 'assets', 'app.js'), 'export {};');
    await writeFile(join(base, 'secret.txt'), SECRET);
    await symlink(join(base, 'secret.txt'), join(root, 'escape.txt'));
    await symlink(base, join(root, 'up'));
  });

  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  const get = (url: string, method?: string) => serveAppRequest(root, APP_ORIGIN, url, method);

  it('serves index.html with its type and the content security policy', async () => {
    const r = await get('app://earmark/index.html');
    expect(r.status).toBe(200);
    expect(r.body?.toString()).toContain('<title>Earmark</title>');
    expect(r.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(r.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(r.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('serves index.html for the bare origin', async () => {
    const r = await get('app://earmark/');
    expect(r.status).toBe(200);
    expect(r.body?.toString()).toContain('Earmark');
  });

  it('serves scripts as JavaScript', async () => {
    const r = await get('app://earmark/assets/app.js');
    expect(r.status).toBe(200);
    expect(r.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
  });

  it('puts the security headers on refusals too', async () => {
    const r = await get('app://earmark/missing.js');
    expect(r.status).toBe(404);
    expect(r.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each([
    'app://earmark/..%2f..%2fetc/passwd',
    'app://earmark/..%2fsecret.txt',
    'app://earmark/%2e%2e/secret.txt',
    'app://earmark/assets/..%2f..%2fsecret.txt',
    'app://earmark/../secret.txt',
    'app://earmark/%2fetc%2fpasswd',
  ])('refuses the traversal %s', async (url) => {
    const r = await get(url);
    expect([400, 403, 404]).toContain(r.status);
    expect(r.body?.toString()).not.toContain(SECRET);
    expect(r.body?.toString()).not.toMatch(/root:/);
  });

  it('refuses an encoded traversal by its path alone, before touching the disk', async () => {
    expect((await get('app://earmark/..%2f..%2fetc/passwd')).status).toBe(403);
  });

  it('refuses a NUL byte', async () => {
    expect((await get('app://earmark/index.html%00.js')).status).toBe(400);
  });

  it('refuses a backslash', async () => {
    const r = await get('app://earmark/..%5csecret.txt');
    expect(r.status).toBe(400);
    expect(r.body?.toString()).not.toContain(SECRET);
  });

  it('refuses a symlink to a file outside the root', async () => {
    const r = await get('app://earmark/escape.txt');
    expect(r.status).toBe(404);
    expect(r.body?.toString()).not.toContain(SECRET);
  });

  it('refuses a path through a symlinked folder outside the root', async () => {
    const r = await get('app://earmark/up/secret.txt');
    expect(r.status).toBe(404);
    expect(r.body?.toString()).not.toContain(SECRET);
  });

  it.each([
    'app://other/index.html',
    'https://earmark/index.html',
    'app://user@earmark/index.html',
    'app://earmark:8080/index.html',
  ])('refuses the other origin %s', async (url) => {
    const r = await get(url);
    expect(r.status).toBe(403);
    expect(r.body?.toString()).not.toContain('<title>');
  });

  it('refuses malformed percent-encoding', async () => {
    expect((await get('app://earmark/%E0%A4%A.js')).status).toBe(400);
  });

  it('refuses a folder', async () => {
    expect((await get('app://earmark/assets')).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://earmark/index.html', 'POST')).status).toBe(405);
  });

  it('answers HEAD without a body', async () => {
    const r = await get('app://earmark/index.html', 'HEAD');
    expect(r.status).toBe(200);
    expect(r.body).toBeNull();
  });
});
