/**
 * Service time against the reference service over real HTTP, with the workstation's wall clock
 * set wrong: once the service has answered, its signed time decides expiry, session lifetime and
 * the trusted clock's floor, and the skew is reported rather than believed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, makeTestClock, serviceError, type ServicesEnv, type TestClock } from '../../../support/services';
import { startTestService, type TestService } from '../../../support/reference-service';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const YEAR_MS = 365 * DAY_MS;

describe('service time against the reference service', () => {
  let svc: TestService;
  let env: ServicesEnv;
  let clock: TestClock;

  /** A workstation whose wall clock is `skewMs` off the service's. */
  const workstation = (skewMs: number): void => {
    clock = makeTestClock(svc.now() + skewMs);
    env = makeServices({ serviceUrl: svc.url, clock });
  };
  /** The service's time as the workstation should see it: within a second. */
  const expectServiceTime = (): void => {
    expect(Math.abs(env.services.clock.now() - svc.now())).toBeLessThan(1_000);
  };
  const signInAndSync = async (): Promise<void> => {
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
  };

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch('b-AAAAAAAAAAAT1ME1', 2);
  });
  afterEach(async () => {
    env.dispose();
    await svc.stop();
  });

  it('signs in and keeps syncing with a clock 9 hours ahead, and reports the skew', async () => {
    workstation(9 * HOUR_MS);
    await signInAndSync();
    const status = env.services.sync.status();
    // The token's expiry (service time, 8 hours) is compared with service time, not the local clock.
    expect(status.connection).toBe('online');
    // Each fresh one-time code moves the service's clock on by one TOTP step (30 s).
    expect(status.clockSkewMs).toBeGreaterThan(9 * HOUR_MS - MINUTE_MS);
    expect(env.services.batches.list().map((b) => [b.id, b.status])).toEqual([['b-AAAAAAAAAAAT1ME1', 'active']]);
    expectServiceTime();
    expect(env.services.vault.openClip('b-AAAAAAAAAAAT1ME1', 'c-AAAAAAAAAAAA0000').id).toBe('c-AAAAAAAAAAAA0000');
  });

  it('uses service time with a clock 2 hours behind, and reports it as behind', async () => {
    workstation(-2 * HOUR_MS);
    await signInAndSync();
    expect(env.services.sync.status()).toMatchObject({ connection: 'online' });
    expect(env.services.sync.status().clockSkewMs).toBeLessThan(-2 * HOUR_MS);
    expectServiceTime();
  });

  it('recovers from a clock a year ahead once corrected: the floor followed service time', async () => {
    workstation(YEAR_MS);
    // Before any answer the local clock is all there is.
    expect(env.services.clock.now()).toBeGreaterThan(svc.now() + YEAR_MS - MINUTE_MS);
    await signInAndSync();
    expect(env.services.batches.list().map((b) => b.status)).toEqual(['active']);
    expect(env.services.sync.status().clockSkewMs).toBeGreaterThan(YEAR_MS - MINUTE_MS);
    expectServiceTime();

    // Corrected: no skew, and syncing goes on.
    clock.setWall(svc.now());
    expect(env.services.sync.status().clockSkewMs).toBeNull();
    await env.services.sync.syncNow();
    expect(env.services.sync.status().connection).toBe('online');

    // After a restart, before any answer, the floor is service time, not a year ahead.
    env.reopen();
    expect(env.services.clock.now()).toBeLessThan(svc.now() + MINUTE_MS);
    await env.services.lock.unlock(svc.reviewer.password);
    await signInAndSync();
    expect(env.services.sync.status()).toMatchObject({ connection: 'online', clockSkewMs: null });
    expect(env.services.batches.list().map((b) => b.status)).toEqual(['active']);
  });

  it('keeps a year-ahead clock from raising the floor after a restart while it is still wrong', async () => {
    workstation(YEAR_MS);
    await signInAndSync();
    env.reopen();
    // The offset to service time last heard corrects the local clock until the service answers.
    expect(Math.abs(env.services.clock.now() - svc.now())).toBeLessThan(MINUTE_MS);
    await env.services.lock.unlock(svc.reviewer.password);
    expect(env.services.vault.openClip('b-AAAAAAAAAAAT1ME1', 'c-AAAAAAAAAAAA0001').id).toBe('c-AAAAAAAAAAAA0001');
  });

  it('keeps an expired batch expired after the local clock goes back', async () => {
    workstation(0);
    await signInAndSync();
    // Fifteen days pass on both sides; the 14-day batch is past its expiry in service time.
    clock.advance(15 * DAY_MS);
    svc.advance(15 * DAY_MS);
    const expired = /is expired; its audio is gone/;
    expect(
      serviceError('EXPIRED', () => env.services.vault.openClip('b-AAAAAAAAAAAT1ME1', 'c-AAAAAAAAAAAA0000')),
    ).toMatch(expired);
    clock.setWall(svc.now() - 20 * DAY_MS);
    expect(
      serviceError('EXPIRED', () => env.services.vault.openClip('b-AAAAAAAAAAAT1ME1', 'c-AAAAAAAAAAAA0000')),
    ).toMatch(expired);
    env.reopen();
    await env.services.lock.unlock(svc.reviewer.password);
    expect(
      serviceError('EXPIRED', () => env.services.vault.openClip('b-AAAAAAAAAAAT1ME1', 'c-AAAAAAAAAAAA0000')),
    ).toMatch(expired);
  });
});
