import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, queryDb, type ServicesEnv } from '../../support/services';
import { startTestService, type TestService } from '../../support/reference-service';
import { recordingTimers, settled, TEST_POLL_MS, type RecordingTimers } from '../../support/sync-driver';

const body = (transcript: string) => ({ transcript, critical: [], entities: [] });

describe('sync service against the reference service', () => {
  let svc: TestService;
  let env: ServicesEnv;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch('b-AAAAAAAAAAASYNC1', 3);
    env = makeServices({ serviceUrl: svc.url });
  });
  afterEach(async () => {
    env.dispose();
    await svc.stop();
  });

  it('signs in with password and TOTP, takes the service identity and checks out assigned batches', async () => {
    const session = await env.services.sync.signIn(svc.credentials());
    expect(session).toEqual({ identity: { pseudonym: svc.reviewer.pseudonym, role: 'reviewer' }, mode: 'service' });
    await env.services.sync.syncNow();
    expect(env.services.batches.list().map((b) => [b.id, b.clipCount, b.status])).toEqual([
      ['b-AAAAAAAAAAASYNC1', 3, 'active'],
    ]);
    expect(env.services.sync.status()).toMatchObject({
      configured: true,
      connection: 'online',
      pending: 0,
      needsAttention: [],
    });
    expect(env.services.sync.status().lastSyncAt).not.toBeNull();
    // Recorded with the status the service listed it under, so the next cycle has nothing to write.
    expect(queryDb(env.dataDir, 'SELECT batch_id, source, service_status FROM sync_batches')).toEqual([
      { batch_id: 'b-AAAAAAAAAAASYNC1', source: 'checkout', service_status: 'active' },
    ]);
  });

  it('refuses a wrong one-time code with a clear error and stays signed out', async () => {
    const creds = { ...svc.credentials(), totp: '000000' };
    await expect(env.services.sync.signIn(creds)).rejects.toMatchObject({
      code: 'BAD_CREDENTIALS',
      message: 'The account, password or one-time code is wrong.',
    });
    expect(env.services.sync.status().connection).toBe('signedOut');
  });

  it('writes the outbox row in the same transaction as the annotation and delivers it once', async () => {
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    const a = env.services.annotations.submit({
      batchId: 'b-AAAAAAAAAAASYNC1',
      clipId: 'c-AAAAAAAAAAAA0000',
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: body('hello'),
    });
    const rows = queryDb<{ op_id: string; state: string }>(
      env.dataDir,
      "SELECT op_id, state FROM outbox WHERE kind = 'annotation'",
    );
    expect(rows).toEqual([{ op_id: a.opId, state: expect.stringMatching(/pending|acked/) as string }]);
    await env.services.sync.syncNow();
    expect(queryDb(env.dataDir, 'SELECT state FROM outbox WHERE op_id = ?', a.opId)).toEqual([{ state: 'acked' }]);
    expect(
      (await svc.service.core.store.ops.current('b-AAAAAAAAAAASYNC1')).map((c) => [c.clipId, c.revision, c.opId]),
    ).toEqual([['c-AAAAAAAAAAAA0000', 1, a.opId]]);
  });

  it('checks for losses from the batch list: a cycle asks for no figures of its own', async () => {
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    const from = svc.requests.length;
    env.services.annotations.submit({
      batchId: 'b-AAAAAAAAAAASYNC1',
      clipId: 'c-AAAAAAAAAAAA0000',
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: body('hello'),
    });
    await env.services.sync.syncNow();
    const cycle = svc.requests.slice(from);
    expect(cycle.filter((line) => line.startsWith('GET /v1/batches'))).toHaveLength(1);
    expect(cycle.filter((line) => line.startsWith('POST /v1/annotations'))).toHaveLength(1);
    expect(cycle.filter((line) => line.includes('/v1/devices/current/ops'))).toEqual([]);
    expect(env.services.sync.status()).toMatchObject({ pending: 0, recovery: { state: 'none' } });
  });

  it('sends work saved while a cycle fetches batch status in that cycle, with no second one', async () => {
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    const submit = (clipId: string, text: string) =>
      env.services.annotations.submit({
        batchId: 'b-AAAAAAAAAAASYNC1',
        clipId,
        basedOnRevision: 0,
        disposition: 'transcribed',
        body: body(text),
      });
    const from = svc.requests.length;
    // The first save starts a cycle; its batch status request is in flight when the second comes.
    const saved = [submit('c-AAAAAAAAAAAA0000', 'one'), submit('c-AAAAAAAAAAAA0001', 'two')];
    // The status pushed at the end of that cycle (its last request asks for listen requests): a
    // second cycle for the second save would have started by then.
    const ended = (): boolean => svc.requests.slice(from).some((line) => line.startsWith('GET /v1/me/listen-requests'));
    await settled(env.services, (s) => s.pending === 0 && ended());
    // "Sync now" from idle gets a cycle of its own: two in all, where a cycle per save made three.
    await env.services.sync.syncNow();
    expect((await svc.service.core.store.ops.current('b-AAAAAAAAAAASYNC1')).map((c) => c.opId).sort()).toEqual(
      saved.map((a) => a.opId).sort(),
    );
    const cycles = svc.requests.slice(from).filter((line) => line.startsWith('GET /v1/batches'));
    expect(cycles).toHaveLength(2);
  });

  it('answers "sync now" with the cycle a save started when its batch status has not come in yet', async () => {
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    const from = svc.requests.length;
    // The save starts a cycle whose batch status request is still unanswered when the reviewer asks.
    const saved = env.services.annotations.submit({
      batchId: 'b-AAAAAAAAAAASYNC1',
      clipId: 'c-AAAAAAAAAAAA0000',
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: body('one'),
    });
    await env.services.sync.syncNow();
    expect(env.services.sync.status().pending).toBe(0);
    expect((await svc.service.core.store.ops.current('b-AAAAAAAAAAASYNC1')).map((c) => c.opId)).toEqual([saved.opId]);
    // One cycle in all: before, the ask ran a second one that found nothing to send. (An ask
    // once the status is in gets a cycle of its own: sync.device-state.test.ts, scheduler.test.ts.)
    expect(svc.requests.slice(from).filter((line) => line.startsWith('GET /v1/batches'))).toHaveLength(1);
  });

  it('uploads timing and shift rows after the outbox, and marks them delivered', async () => {
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    env.services.annotations.submit({
      batchId: 'b-AAAAAAAAAAASYNC1',
      clipId: 'c-AAAAAAAAAAAA0001',
      basedOnRevision: 0,
      disposition: 'noise_only',
      body: body(''),
    });
    expect(env.services.timing.pendingUpload(100).length).toBeGreaterThan(0);
    await env.services.sync.syncNow();
    expect(env.services.timing.pendingUpload(100)).toEqual([]);
    expect(await svc.service.core.store.timing.count(svc.reviewer.account)).toBeGreaterThan(0);
  });
});

describe('sync service: what the reviewer is told and what is kept', () => {
  let svc: TestService;
  let env: ServicesEnv;
  let timers: RecordingTimers;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch('b-AAAAAAAAAAASYNC2', 4);
    timers = recordingTimers();
    env = makeServices({ serviceUrl: svc.url, sync: { timers, random: () => 0.5, pollIntervalMs: TEST_POLL_MS } });
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
  });
  afterEach(async () => {
    await env.services.sync.stop();
    env.dispose();
    await svc.stop();
  });

  const submit = (clipId: string, text: string, basedOnRevision = 0) =>
    env.services.annotations.submit({
      batchId: 'b-AAAAAAAAAAASYNC2',
      clipId,
      basedOnRevision,
      disposition: 'transcribed',
      body: body(text),
    });

  it('parks an op whose id the service holds with another payload as needing attention, and delivers the rest', async () => {
    const a = submit('c-AAAAAAAAAAAA0000', 'mine');
    // The service already holds this op id with different content (a restored backup, a bug).
    await svc.service.core.store.ops.apply(
      'annotation',
      svc.reviewer.account,
      [{ opId: a.opId, payload: { opId: a.opId, other: true }, refusal: null }],
      svc.now(),
    );
    const b = submit('c-AAAAAAAAAAAA0001', 'fine');
    const status = await env.services.sync.syncNow();
    expect(status.needsAttention).toEqual([
      {
        opId: a.opId,
        kind: 'annotation',
        batchId: 'b-AAAAAAAAAAASYNC2',
        clipId: 'c-AAAAAAAAAAAA0000',
        revision: 1,
        reason: 'conflict',
        code: 'conflict',
        currentRevision: null,
        canResend: false,
        parkedAt: expect.any(Number) as number,
      },
    ]);
    expect(status.pending).toBe(0);
    expect((await svc.service.core.store.ops.current('b-AAAAAAAAAAASYNC2')).map((c) => c.opId)).toEqual([b.opId]);
    // Parked, not lost: the revision is still the clip's saved work.
    expect(env.services.annotations.work('b-AAAAAAAAAAASYNC2', 'c-AAAAAAAAAAAA0000').latest?.transcript).toBe('mine');
  });

  it('asks for a new sign-in when the session expires, keeps every op, and delivers them after it', async () => {
    svc.advance(9 * 60 * 60 * 1000);
    const a = submit('c-AAAAAAAAAAAA0000', 'after expiry');
    const status = await env.services.sync.syncNow();
    expect(status.connection).toBe('signInRequired');
    expect(status.pending).toBeGreaterThanOrEqual(1);
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    expect(env.services.sync.status()).toMatchObject({ connection: 'online', pending: 0 });
    expect((await svc.service.core.store.ops.current('b-AAAAAAAAAAASYNC2')).map((c) => c.opId)).toEqual([a.opId]);
  });

  it('goes offline with a growing, jittered backoff while the service is down, and recovers', async () => {
    env.services.sync.start();
    await svc.service.close();
    submit('c-AAAAAAAAAAAA0000', 'offline work');
    const offline = await settled(
      env.services,
      (s) => s.connection === 'offline' && timers.delays.filter((d) => d < TEST_POLL_MS && d > 0).length >= 3,
    );
    expect(offline.pending).toBeGreaterThanOrEqual(1);
    const waits = timers.delays.filter((d) => d > 0 && d < TEST_POLL_MS);
    // random() = 0.5: three quarters of a ceiling that doubles from 1 s.
    expect(waits.slice(0, 3)).toEqual([750, 1_500, 3_000]);
  });

  it('crypto-erases a batch the service revoked within one cycle, and still uploads its unsynced work', async () => {
    const before = env.services.vault.openClip('b-AAAAAAAAAAASYNC2', 'c-AAAAAAAAAAAA0001');
    expect(before.audio.length).toBeGreaterThan(0);
    const a = submit('c-AAAAAAAAAAAA0001', 'saved before revocation');
    await svc.service.core.store.batches.revoke('b-AAAAAAAAAAASYNC2', svc.now());
    await env.services.sync.syncNow();
    expect(env.services.batches.get('b-AAAAAAAAAAASYNC2').status).toBe('revoked');
    expect(() => env.services.vault.openClip('b-AAAAAAAAAAASYNC2', 'c-AAAAAAAAAAAA0001')).toThrow(/revoked/);
    expect(
      queryDb(
        env.dataDir,
        "SELECT count(*) AS n FROM clips WHERE batch_id = 'b-AAAAAAAAAAASYNC2' AND audio IS NOT NULL",
      ),
    ).toEqual([{ n: 0 }]);
    expect(queryDb(env.dataDir, "SELECT count(*) AS n FROM batch_keys WHERE batch_id = 'b-AAAAAAAAAAASYNC2'")).toEqual([
      { n: 0 },
    ]);
    expect((await svc.service.core.store.ops.current('b-AAAAAAAAAAASYNC2')).map((c) => c.opId)).toEqual([a.opId]);
  });

  it('signs out without losing unsynced work, which goes up at the next sign-in', async () => {
    const a = submit('c-AAAAAAAAAAAA0002', 'before sign-out');
    await env.services.sync.signOut();
    expect(env.services.session.get().mode).toBe('demo');
    expect(env.services.sync.status().connection).toBe('signedOut');
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    expect((await svc.service.core.store.ops.current('b-AAAAAAAAAAASYNC2')).map((c) => c.opId)).toEqual([a.opId]);
  });
});
