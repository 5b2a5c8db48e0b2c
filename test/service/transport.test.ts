/**
 * How the service is reached: HTTPS with the operator's certificate, no listening on a reachable
 * address without TLS unless said explicitly, and sources taken from a proxy header only when the
 * operator named it (a forged header is ignored by default, and cannot dodge the per-source limit).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signInLimits } from '../../shared/sync/protocol';
import { DEFAULT_POLL_MS } from '../../main/services/sync.service';
import { totpCode } from '../../service/auth';
import { IDLE_KEEP_ALIVE_MS } from '../../service/lifecycle';
import { createReferenceService, type ReferenceService } from '../../service/server';
import { openSqliteServiceStore } from '../../service/store/sqlite/service-store';
import { startTestService, type TestService } from '../support/reference-service';
import { makeTempDir } from '../support/temp-dir';

describe('service transport', () => {
  let tmp: ReturnType<typeof makeTempDir> | undefined;
  let service: ReferenceService | undefined;
  let svc: TestService | undefined;
  afterEach(async () => {
    await service?.close();
    await svc?.stop();
    tmp?.remove();
    [tmp, service, svc] = [undefined, undefined, undefined];
  });

  it('speaks HTTPS with the certificate it is given', async () => {
    tmp = makeTempDir('earmark-tls-');
    const [certFile, keyFile] = [join(tmp.dir, 'cert.pem'), join(tmp.dir, 'key.pem')];
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'],
        ...['-keyout', keyFile, '-out', certFile, '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(certFile);
    service = createReferenceService({
      store: openSqliteServiceStore(join(tmp.dir, 'service.db')),
      tls: { cert, key: readFileSync(keyFile) },
    });
    const url = await service.listen(0);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await new Promise<{ status: number; body: string; authorized: boolean }>((resolve, reject) => {
      httpsGet(`${url}/healthz`, { ca: cert, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString(),
            authorized: (res.socket as { authorized?: boolean }).authorized === true,
          }),
        );
      }).on('error', reject);
    });
    expect(answer).toEqual({ status: 200, body: '{"ok":true}', authorized: true });
  });

  it('keeps an idle connection open for longer than a workstation waits between sync cycles', async () => {
    svc = await startTestService();
    const agent = new Agent({ keepAlive: true });
    try {
      const answer = await new Promise<{ status: number; keepAlive: string | undefined }>((resolve, reject) => {
        httpGet(`${svc?.url ?? ''}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, keepAlive: res.headers['keep-alive']?.toString() }),
          );
        }).on('error', reject);
      });
      expect(IDLE_KEEP_ALIVE_MS).toBeGreaterThan(DEFAULT_POLL_MS);
      expect(answer).toEqual({ status: 200, keepAlive: `timeout=${IDLE_KEEP_ALIVE_MS / 1000}` });
    } finally {
      agent.destroy();
    }
  });

  it('refuses to listen on an address other hosts reach without TLS, unless told so explicitly', async () => {
    tmp = makeTempDir('earmark-listen-');
    service = createReferenceService({ store: openSqliteServiceStore(join(tmp.dir, 'a.db')) });
    await expect(service.listen(0, '0.0.0.0')).rejects.toThrow(/without TLS.*--insecure-no-tls/);
    const insecure = createReferenceService({
      store: openSqliteServiceStore(join(tmp.dir, 'b.db')),
      insecureNoTls: true,
    });
    try {
      expect(await insecure.listen(0, '0.0.0.0')).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    } finally {
      await insecure.close();
    }
  });

  /** Fails one sign-in as `name` with this X-Forwarded-For header; returns the status. */
  const failSignIn = async (s: TestService, name: string, forwardedFor: string): Promise<number> => {
    const body = await s.signInBody({
      account: { ...s.reviewer, account: name },
      password: 'wrong',
      totp: totpCode(s.reviewer.totpSecret, s.now()),
    });
    const r = await fetch(`${s.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify(body),
    });
    return r.status;
  };
  const sources = async (s: TestService): Promise<string[]> =>
    (await s.query<{ source: string }>('SELECT DISTINCT source FROM sign_in_failures')).map((r) => r.source);

  it('ignores a forwarding header by default: the peer is the source, whatever the header says', async () => {
    svc = await startTestService();
    const statuses: number[] = [];
    for (let i = 0; i < signInLimits.sourceFailures; i += 1) {
      statuses.push(await failSignIn(svc, `guess-${i}`, `203.0.113.${i + 1}`));
    }
    expect(statuses).toEqual(Array.from({ length: signInLimits.sourceFailures }, () => 401));
    // A new name and yet another forged address: still the same source, now over its limit.
    expect(await failSignIn(svc, 'guess-last', '198.51.100.99')).toBe(429);
    expect(await sources(svc)).toEqual(['127.0.0.1']);
  });

  it('takes the right-most address of the header the operator named', async () => {
    svc = await startTestService({ options: { trustProxyHeader: 'X-Forwarded-For' } });
    expect(await failSignIn(svc, 'someone', '10.9.8.7, 203.0.113.5')).toBe(401);
    expect(await sources(svc)).toEqual(['203.0.113.5']);
  });
});
