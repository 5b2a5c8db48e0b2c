import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePackage } from '../../../../core/package/package-writer';
import type { ResultsImportResponse } from '../../../../shared/sync/messages';
import { silenceWav } from '../../../support/packages';
import { startTestService, type TestService } from '../../../support/reference-service';
import { makeServices, queryDb, type ServicesEnv } from '../../../support/services';
import { makeTempDir } from '../../../support/temp-dir';

const body = (text: string) => ({ transcript: text, critical: [], entities: [] });

describe('offline station', () => {
  let svc: TestService;
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  /** While true the workstation has no network: every request fails as a refused connection would. */
  let offline: boolean;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch('b-AAAAAAAAAAAA0FF1', 3);
    offline = false;
    const station: typeof fetch = (input, init) =>
      offline ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
    env = makeServices({ serviceUrl: svc.url, sync: { fetch: station } });
    tmp = makeTempDir('earmark-offline-');
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    offline = true;
  });
  afterEach(async () => {
    env.dispose();
    tmp.remove();
    await svc.stop();
  });

  /** A session of the reviewer's own, as an operator's desk would open to carry the package in. */
  const token = async (): Promise<string> => {
    const r = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      // Sessions are bound to a device: this one signs in as the workstation that made the package.
      body: JSON.stringify(await svc.signInBody({ device: env.services.vault.deviceKey() })),
    });
    return ((await r.json()) as { token: string }).token;
  };

  const postPackage = async (bytes: Buffer) => {
    const r = await fetch(`${svc.url}/v1/results-packages`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.earmark.package', authorization: `Bearer ${await token()}` },
      body: new Uint8Array(bytes),
    });
    return { status: r.status, body: (await r.json()) as ResultsImportResponse & { error?: { message: string } } };
  };

  const clip = (id: string) => ({
    details: { id, durationMs: 300, codec: 'wav' as const, asrText: 'x', consent: 'granted' as const },
    audio: silenceWav(300),
  });
  /** A package of `batchId` for this workstation, in `folder`, assigned to `assignedTo` when given. */
  const pack = (batchId: string, assignedTo?: string, folder = tmp.dir): string => {
    const file = join(folder, `${batchId}.earmark`);
    writePackage(file, {
      batchId,
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 86_400_000),
      locale: 'en-US',
      recipient: env.services.vault.deviceKey().publicKey,
      clips: [clip('c-AAAAAAAAAAAAAAA1'), clip('c-AAAAAAAAAAAAAAA2')],
      assignedTo,
    });
    return file;
  };
  const reviewer = (): string => env.services.sync.author() ?? 'nobody';

  it('imports every batch package of a folder for this device and says which files it refused', async () => {
    for (const batchId of ['b-AAAAAAAAAAAAVSB1', 'b-AAAAAAAAAAAAVSB2']) {
      pack(batchId, reviewer());
    }
    writeFileSync(join(tmp.dir, 'broken.earmark'), 'not a package');
    writeFileSync(join(tmp.dir, 'notes.txt'), 'ignored');
    const report = await env.services.offline.importFolderAt(tmp.dir);
    expect(report.imported).toEqual(['b-AAAAAAAAAAAAVSB1', 'b-AAAAAAAAAAAAVSB2']);
    expect(report.refused.map((r) => r.file)).toEqual(['broken.earmark']);
    expect(report.refused[0]?.reason).not.toBe('');
    expect(report.refused[0]?.error).toMatchObject({ code: 'PACKAGE_REFUSED', details: { reason: 'not_a_package' } });
    expect(
      queryDb(env.dataDir, "SELECT batch_id, source FROM sync_batches WHERE source = 'offline' ORDER BY batch_id"),
    ).toEqual([
      { batch_id: 'b-AAAAAAAAAAAAVSB1', source: 'offline' },
      { batch_id: 'b-AAAAAAAAAAAAVSB2', source: 'offline' },
    ]);
  });

  it('offline, takes one package file carrying this reviewer’s assignment, and registers it as the service’s', async () => {
    const file = pack('b-AAAAAAAAAAAA0001', reviewer());
    expect(await env.services.offline.importPathAt(file)).toEqual({ imported: ['b-AAAAAAAAAAAA0001'], refused: [] });
    expect(env.services.batches.list().map((b) => b.id)).toContain('b-AAAAAAAAAAAA0001');
    expect(queryDb(env.dataDir, "SELECT source FROM sync_batches WHERE batch_id = 'b-AAAAAAAAAAAA0001'")).toEqual([
      { source: 'offline' },
    ]);
  });

  it('offline, refuses a package of another reviewer or of nobody, says why, and keeps nothing of it', async () => {
    pack('b-AAAAAAAAAAAA0001', 'rv-0a0b0c');
    pack('b-AAAAAAAAAAAA0002');
    const report = await env.services.offline.importPathAt(tmp.dir);
    expect(report.imported).toEqual([]);
    expect(report.refused.map((r) => [r.file, r.error])).toEqual([
      [
        'b-AAAAAAAAAAAA0001.earmark',
        {
          code: 'PACKAGE_REFUSED',
          message: 'The package assigns batch "b-AAAAAAAAAAAA0001" to another reviewer: the next sync would erase it.',
          details: { reason: 'assigned_elsewhere', batchId: 'b-AAAAAAAAAAAA0001' },
        },
      ],
      [
        'b-AAAAAAAAAAAA0002.earmark',
        {
          code: 'PACKAGE_REFUSED',
          message:
            'The package of batch "b-AAAAAAAAAAAA0002" names no reviewer, and the service cannot be asked while offline.',
          details: { reason: 'no_assignment', batchId: 'b-AAAAAAAAAAAA0002' },
        },
      ],
    ]);
    expect(env.services.batches.list().map((b) => b.id)).toEqual(['b-AAAAAAAAAAAA0FF1']);
    expect(queryDb(env.dataDir, "SELECT count(*) AS n FROM sync_batches WHERE source = 'offline'")).toEqual([{ n: 0 }]);
  });

  it('online, asks the service: takes a batch it assigns to the reviewer, refuses one it does not list', async () => {
    offline = false;
    await svc.addBatch('b-AAAAAAAAAAAA0003', 2);
    // The service's word decides online, whatever the package says of itself.
    const listed = pack('b-AAAAAAAAAAAA0003');
    const unlisted = pack('b-AAAAAAAAAAAA0004', reviewer());
    expect(await env.services.offline.importPathAt(listed)).toEqual({ imported: ['b-AAAAAAAAAAAA0003'], refused: [] });
    const report = await env.services.offline.importPathAt(unlisted);
    expect(report.imported).toEqual([]);
    expect(report.refused.map((r) => r.error)).toEqual([
      {
        code: 'PACKAGE_REFUSED',
        message:
          'The service does not assign batch "b-AAAAAAAAAAAA0004" to this reviewer: the next sync would erase it.',
        details: { reason: 'not_assigned', batchId: 'b-AAAAAAAAAAAA0004' },
      },
    ]);
    // The next sync keeps what was taken: the service lists it.
    await env.services.sync.syncNow();
    expect(env.services.batches.list().find((b) => b.id === 'b-AAAAAAAAAAAA0003')?.status).toBe('active');
  });

  it('offline, takes a package the service checked out for this reviewer: the service seals the assignment', async () => {
    offline = false;
    await svc.addBatch('b-AAAAAAAAAAAA0005', 2);
    // An operator's desk checks the batch out for this workstation and carries the file in.
    const r = await fetch(`${svc.url}/v1/batches/b-AAAAAAAAAAAA0005/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
      body: JSON.stringify({ keyId: env.services.vault.deviceKey().keyId }),
    });
    expect(r.status).toBe(200);
    const file = join(tmp.dir, 'carried.earmark');
    writeFileSync(file, Buffer.from(await r.arrayBuffer()));
    offline = true;
    expect(await env.services.offline.importPathAt(file)).toEqual({ imported: ['b-AAAAAAAAAAAA0005'], refused: [] });
  });

  it('refuses every package in service mode once nobody is signed in', async () => {
    pack('b-AAAAAAAAAAAA0001', reviewer());
    offline = false;
    await env.services.sync.signOut();
    await expect(env.services.offline.importPathAt(tmp.dir)).rejects.toMatchObject({
      code: 'PACKAGE_REFUSED',
      details: { reason: 'sign_in_first' },
    });
  });

  it('exports the outbox encrypted for the service and signed by the device; the service imports it once', async () => {
    const a = env.services.annotations.submit({
      batchId: 'b-AAAAAAAAAAAA0FF1',
      clipId: 'c-AAAAAAAAAAAA0000',
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: body('secret words'),
    });
    const b = env.services.annotations.submit({
      batchId: 'b-AAAAAAAAAAAA0FF1',
      clipId: 'c-AAAAAAAAAAAA0000',
      basedOnRevision: 1,
      disposition: 'transcribed',
      body: body('amended words'),
    });
    const file = join(tmp.dir, 'results.earmark-results');
    const exported = env.services.offline.exportResultsTo(file);
    expect(exported.ops).toBeGreaterThanOrEqual(2);
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from('secret words'))).toBe(false);
    expect(bytes.includes(Buffer.from('amended words'))).toBe(false);

    const first = await postPackage(bytes);
    expect(first.status).toBe(200);
    expect(first.body.results.filter((r) => r.kind === 'annotation').map((r) => [r.opId, r.outcome])).toEqual([
      [a.opId, 'stored'],
      [b.opId, 'stored'],
    ]);
    const again = await postPackage(bytes);
    expect(new Set(again.body.results.map((r) => r.outcome))).toEqual(new Set(['duplicate']));
    expect(
      (await svc.service.core.store.ops.current('b-AAAAAAAAAAAA0FF1')).map((c) => [c.clipId, c.revision, c.opId]),
    ).toEqual([['c-AAAAAAAAAAAA0000', 2, b.opId]]);

    // Later online, the same ops are recognised and simply acknowledged.
    offline = false;
    const status = await env.services.sync.syncNow();
    expect(status.pending).toBe(0);
    expect(
      await svc.query("SELECT count(*) AS n FROM annotation_revisions WHERE batch_id = 'b-AAAAAAAAAAAA0FF1'"),
    ).toEqual([{ n: 2 }]);
  });

  it('refuses a results package altered after it was signed', async () => {
    env.services.annotations.submit({
      batchId: 'b-AAAAAAAAAAAA0FF1',
      clipId: 'c-AAAAAAAAAAAA0001',
      basedOnRevision: 0,
      disposition: 'noise_only',
      body: body(''),
    });
    const file = join(tmp.dir, 'results.earmark-results');
    env.services.offline.exportResultsTo(file);
    const bytes = readFileSync(file);
    // The signature follows the header; one bit of it changed and the header no longer verifies.
    const signatureAt = 12 + bytes.readUInt32BE(8);
    const resigned = Buffer.from(bytes);
    resigned[signatureAt + 10] = (resigned[signatureAt + 10] ?? 0) ^ 0xff;
    const answer = await postPackage(resigned);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.message).toMatch(/signature does not verify/);
    // A byte of the body changed: the signed header's SHA-256 no longer matches it.
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 0xff;
    const altered = await postPackage(bytes);
    expect(altered.status).toBe(400);
    expect(altered.body.error?.message).toMatch(/does not match the SHA-256/);
    expect(await svc.query("SELECT count(*) AS n FROM ops WHERE source = 'results_package'")).toEqual([{ n: 0 }]);
    expect(await svc.service.core.store.ops.current('b-AAAAAAAAAAAA0FF1')).toEqual([]);
  });
});

describe('package import without a service', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    env = makeServices();
    tmp = makeTempDir('earmark-demo-import-');
  });
  afterEach(() => {
    env.dispose();
    tmp.remove();
  });

  it('takes a single package file made for this workstation, whoever it names or none', async () => {
    const files = ['b-AAAAAAAAAAAA0006', 'b-AAAAAAAAAAAA0007'].map((batchId, i) => {
      const file = join(tmp.dir, `${batchId}.earmark`);
      writePackage(file, {
        batchId,
        createdAt: new Date(),
        expiresAt: new Date(Date.now() + 86_400_000),
        locale: 'en-US',
        recipient: env.services.vault.deviceKey().publicKey,
        clips: [
          {
            details: { id: 'c-AAAAAAAAAAAAAAA1', durationMs: 300, codec: 'wav', asrText: 'x', consent: 'granted' },
            audio: silenceWav(300),
          },
        ],
        assignedTo: i === 0 ? 'rv-0a0b0c' : undefined,
      });
      return file;
    });
    for (const file of files) {
      expect((await env.services.offline.importPathAt(file)).refused).toEqual([]);
    }
    expect(env.services.batches.list().map((b) => b.id)).toEqual(['b-AAAAAAAAAAAA0006', 'b-AAAAAAAAAAAA0007']);
  });
});
