/**
 * An expiry brought forward by a sync the app locked in the middle of: the batch row moves (it
 * needs no key) but the sealed copy cannot be written then. The next sync, unlocked, must still
 * seal it, or the row edited back offline keeps the batch playable past the operator's time.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_SOURCE } from '../../../../service/audit';
import { setBatchExpiry } from '../../../../service/batch-admin';
import { makeServices, makeTestClock, type ServicesEnv, type TestClock } from '../../../support/services';
import { startTestService, type TestService } from '../../../support/reference-service';

const BATCH = 'b-AAAAAAAAAAEXPFW2';
const HOUR_MS = 3_600_000;
const operator = { operator: 'ops', source: CLI_SOURCE };
const urlOf = (input: Parameters<typeof fetch>[0]): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

describe('an expiry brought forward by a sync the app locked during', () => {
  let svc: TestService;
  let env: ServicesEnv;
  let clock: TestClock;
  let clips: string[];
  /** Locks the app as the batch list comes back, once. */
  let lockOnBatchList = false;

  beforeEach(async () => {
    svc = await startTestService();
    clips = await svc.addBatch(BATCH, 2);
    clock = makeTestClock(svc.now());
    lockOnBatchList = false;
    env = makeServices({
      serviceUrl: svc.url,
      clock,
      sync: {
        // Waits never fire: each cycle is one the test asks for.
        timers: { setTimeout: () => ({}), clearTimeout: () => undefined },
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (lockOnBatchList && urlOf(input).includes('/v1/batches')) {
            lockOnBatchList = false;
            // The idle lock (or the reviewer) locks while the answer is on its way.
            env.services.lock.lock('manual');
          }
          return response;
        },
      },
    });
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
  });
  afterEach(async () => {
    env.dispose();
    await svc.stop();
  });

  const local = () => env.services.batches.get(BATCH);
  const openFirst = (): number | string => {
    try {
      return env.services.vault.openClip(BATCH, clips[0] ?? '').audio.length;
    } catch (error) {
      return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  };

  it('still seals the earlier time at the next sync, so the row edited back offline ends at it', async () => {
    const packaged = local().expiresAt;
    const sooner = svc.now() + HOUR_MS;
    await setBatchExpiry(svc.service.core, operator, BATCH, sooner);

    lockOnBatchList = true;
    await env.services.sync.syncNow();
    expect(env.services.lock.state().locked).toBe(true);
    await env.services.lock.unlock(svc.reviewer.password);
    await env.services.sync.syncNow();
    expect(local()).toMatchObject({ status: 'active', expiresAt: sooner });

    // The reviewer closes the app and puts the package's expiry back in the row.
    env.services.close();
    const db = new Database(join(env.dataDir, 'earmark.db'));
    try {
      db.prepare('UPDATE batches SET expires_at = ? WHERE id = ?').run(packaged, BATCH);
    } finally {
      db.close();
    }
    env.reopen();
    await env.services.lock.unlock(svc.reviewer.password);

    clock.advance(HOUR_MS + 1_000);
    expect(openFirst()).toMatch(/expired/);
    expect(local().status).toBe('expired');
  });
});
