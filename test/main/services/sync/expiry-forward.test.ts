import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_SOURCE } from '../../../../service/audit';
import { setBatchExpiry } from '../../../../service/batch-admin';
import { makeServices, makeTestClock, queryDb, type ServicesEnv, type TestClock } from '../../../support/services';
import { startTestService, type TestService } from '../../../support/reference-service';

const BATCH = 'b-AAAAAAAAAAEXPFWD';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const operator = { operator: 'ops', source: CLI_SOURCE };

describe('an expiry an operator changes after checkout', () => {
  let svc: TestService;
  let env: ServicesEnv;
  let clock: TestClock;
  let clips: string[];

  beforeEach(async () => {
    svc = await startTestService();
    clips = await svc.addBatch(BATCH, 2);
    clock = makeTestClock(svc.now());
    env = makeServices({ serviceUrl: svc.url, clock });
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
  });
  afterEach(async () => {
    env.dispose();
    await svc.stop();
  });

  const local = () => env.services.batches.get(BATCH);
  const audioRows = () =>
    queryDb<{ n: number }>(
      env.dataDir,
      'SELECT count(*) AS n FROM clips WHERE batch_id = ? AND audio IS NOT NULL',
      BATCH,
    );

  it('brings the copy here forward to it, and erases it once that time passes with no sync in between', async () => {
    const sooner = svc.now() + HOUR_MS;
    await setBatchExpiry(svc.service.core, operator, BATCH, sooner);
    await env.services.sync.syncNow();
    expect(local()).toMatchObject({ status: 'active', expiresAt: sooner });
    expect(env.services.vault.openClip(BATCH, clips[0] ?? '').audio.length).toBeGreaterThan(0);

    // No sync after this: the time passes on the workstation alone.
    clock.advance(HOUR_MS + 1_000);
    expect(() => env.services.vault.openClip(BATCH, clips[0] ?? '')).toThrow(/expired/);
    expect(local().status).toBe('expired');
    expect(audioRows()).toEqual([{ n: 0 }]);
  });

  it('does not take a later expiry: the one sealed with the package still ends the batch', async () => {
    const packaged = local().expiresAt;
    await setBatchExpiry(svc.service.core, operator, BATCH, packaged + 10 * DAY_MS);
    await env.services.sync.syncNow();
    expect(local()).toMatchObject({ status: 'active', expiresAt: packaged });
  });
});
