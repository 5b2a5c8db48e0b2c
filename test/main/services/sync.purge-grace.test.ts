import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, makeTestClock, queryDb, type ServicesEnv, type TestClock } from '../../support/services';
import { startTestService, type TestService } from '../../support/reference-service';
import { recordingTimers, settled, TEST_POLL_MS } from '../../support/sync-driver';

const body = (transcript: string) => ({ transcript, critical: [], entities: [] });
const MINUTE = 60_000;
const GRACE_MINUTES = 10;

describe('a finished batch keeps its audio for a grace period, so an amendment after the last submit lands', () => {
  let svc: TestService;
  let env: ServicesEnv;
  let clock: TestClock;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch('b-AAAAAAAAAAAGRACE', 3);
    clock = makeTestClock(Date.UTC(2025, 0, 15, 9, 0));
    env = makeServices({
      serviceUrl: svc.url,
      clock,
      policy: { purgeGraceMinutes: GRACE_MINUTES },
      sync: { timers: recordingTimers(), random: () => 0.5, pollIntervalMs: TEST_POLL_MS },
    });
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
  });
  afterEach(async () => {
    await env.services.sync.stop();
    env.dispose();
    await svc.stop();
  });

  /** Time passes for both: once online, the workstation keeps to the service's signed time. */
  const later = (ms: number): void => {
    clock.advance(ms);
    svc.advance(ms);
  };
  const submit = (clipId: string, text: string, basedOnRevision = 0) =>
    env.services.annotations.submit({
      batchId: 'b-AAAAAAAAAAAGRACE',
      clipId,
      basedOnRevision,
      disposition: 'transcribed',
      body: body(text),
    });
  const withAudio = () =>
    queryDb<{ n: number }>(
      env.dataDir,
      "SELECT count(*) AS n FROM clips WHERE batch_id = 'b-AAAAAAAAAAAGRACE' AND audio IS NOT NULL",
    );
  const onService = async () =>
    (await svc.service.core.store.ops.current('b-AAAAAAAAAAAGRACE')).map((c) => [c.clipId, c.revision]).sort();

  it('accepts and syncs an amendment typed 300 ms after the last submit, once the sender has drained the batch', async () => {
    env.services.sync.start();
    ['c-AAAAAAAAAAAA0000', 'c-AAAAAAAAAAAA0001', 'c-AAAAAAAAAAAA0002'].forEach((c) => submit(c, 'done'));
    // The last submit's own cycle: everything acknowledged, the batch finished.
    await settled(env.services, (s) => s.pending === 0 && s.lastSyncAt !== null);
    await env.services.sync.syncNow();
    expect(env.services.batches.get('b-AAAAAAAAAAAGRACE').status).toBe('active');

    later(300);
    env.services.annotations.saveDraft('b-AAAAAAAAAAAGRACE', 'c-AAAAAAAAAAAA0002', 1, body('done, amended'));
    const amended = submit('c-AAAAAAAAAAAA0002', 'done, amended', 1);
    expect(amended.revision).toBe(2);
    await env.services.sync.syncNow();

    expect(env.services.sync.status()).toMatchObject({ pending: 0, needsAttention: [] });
    expect(await onService()).toEqual([
      ['c-AAAAAAAAAAAA0000', 1],
      ['c-AAAAAAAAAAAA0001', 1],
      ['c-AAAAAAAAAAAA0002', 2],
    ]);
    expect(env.services.batches.get('b-AAAAAAAAAAAGRACE').status).toBe('active');
    expect(withAudio()).toEqual([{ n: 3 }]);
  });

  it('never purges while a draft is open, however long it waits; purges after the draft is submitted and the grace passed', async () => {
    ['c-AAAAAAAAAAAA0000', 'c-AAAAAAAAAAAA0001', 'c-AAAAAAAAAAAA0002'].forEach((c) => submit(c, 'done'));
    await env.services.sync.syncNow();
    env.services.annotations.saveDraft('b-AAAAAAAAAAAGRACE', 'c-AAAAAAAAAAAA0001', 1, body('second thoughts'));

    later(3 * GRACE_MINUTES * MINUTE);
    await env.services.sync.syncNow();
    expect(env.services.batches.get('b-AAAAAAAAAAAGRACE').status).toBe('active');
    expect(env.services.annotations.work('b-AAAAAAAAAAAGRACE', 'c-AAAAAAAAAAAA0001').draft?.transcript).toBe(
      'second thoughts',
    );

    submit('c-AAAAAAAAAAAA0001', 'second thoughts', 1);
    await env.services.sync.syncNow();
    // Just submitted: the grace period starts again.
    expect(env.services.batches.get('b-AAAAAAAAAAAGRACE').status).toBe('active');

    later(GRACE_MINUTES * MINUTE + 1);
    await env.services.sync.syncNow();
    expect(env.services.batches.get('b-AAAAAAAAAAAGRACE').status).toBe('expired');
    expect(withAudio()).toEqual([{ n: 0 }]);
    expect(await onService()).toEqual([
      ['c-AAAAAAAAAAAA0000', 1],
      ['c-AAAAAAAAAAAA0001', 2],
      ['c-AAAAAAAAAAAA0002', 1],
    ]);
  });

  it('purges the audio of a batch once every clip is submitted and acknowledged and the grace has passed', async () => {
    ['c-AAAAAAAAAAAA0000', 'c-AAAAAAAAAAAA0001'].forEach((c) => submit(c, 'done'));
    await env.services.sync.syncNow();
    submit('c-AAAAAAAAAAAA0002', 'last');
    await env.services.sync.syncNow();
    expect(env.services.batches.get('b-AAAAAAAAAAAGRACE').status).toBe('active');
    later(GRACE_MINUTES * MINUTE - 1);
    await env.services.sync.syncNow();
    expect(env.services.batches.get('b-AAAAAAAAAAAGRACE').status).toBe('active');

    later(2);
    await env.services.sync.syncNow();
    expect(env.services.batches.get('b-AAAAAAAAAAAGRACE').status).toBe('expired');
    expect(withAudio()).toEqual([{ n: 0 }]);
    expect(
      queryDb(
        env.dataDir,
        "SELECT audio_purged_at IS NOT NULL AS purged FROM sync_batches WHERE batch_id = 'b-AAAAAAAAAAAGRACE'",
      ),
    ).toEqual([{ purged: 1 }]);
    expect(
      env.services.annotations.history('b-AAAAAAAAAAAGRACE', 'c-AAAAAAAAAAAA0002').map((h) => h.transcript),
    ).toEqual(['last']);
  });
});
