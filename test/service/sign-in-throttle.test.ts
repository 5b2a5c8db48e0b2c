import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInLimits as L } from '../../shared/sync/protocol';
import { admitSignIn } from '../../service/sign-in-throttle';
import type { ServiceStore } from '../../service/store/repositories';
import { openTestStore } from '../support/test-store';

describe('sign-in limits', () => {
  let store: ServiceStore;
  const now = 1_800_000_000_000;

  beforeEach(async () => {
    store = await openTestStore();
  });
  afterEach(async () => {
    await store.close();
  });

  const admit = (name: string, source: string, at: number) =>
    store.transaction((tx) => admitSignIn(tx, name, source, at));

  it('locks a (name, source) pair after 5 failures for 30 s, doubling with each further failure', async () => {
    for (let i = 0; i < L.pairFailures; i += 1) {
      expect(await admit('ana', '10.0.0.1', now)).toEqual({ allowed: true });
    }
    expect(await admit('ana', '10.0.0.1', now + 1_000)).toEqual({ allowed: false, retryAfterMs: 29_000 });
    // Refused attempts do not count; once the lock is over, the next failure locks for 60 s.
    expect(await admit('ana', '10.0.0.1', now + 30_000)).toEqual({ allowed: true });
    expect(await admit('ana', '10.0.0.1', now + 30_000)).toEqual({ allowed: false, retryAfterMs: 60_000 });
    expect(await admit('ana', '10.0.0.2', now + 30_000)).toEqual({ allowed: true });
  });

  it('takes a pair’s failures back after a success', async () => {
    for (let i = 0; i < L.pairFailures; i += 1) {
      await admit('ana', '10.0.0.1', now);
    }
    await store.signIns.clearPair('ana', '10.0.0.1');
    expect(await admit('ana', '10.0.0.1', now)).toEqual({ allowed: true });
  });

  it('refuses a source with 20 failures in a minute, whatever the name', async () => {
    for (let i = 0; i < L.sourceFailures; i += 1) {
      expect(await admit(`name-${i}`, '10.0.0.9', now + i)).toEqual({ allowed: true });
    }
    expect(await admit('someone-else', '10.0.0.9', now + 100)).toEqual({
      allowed: false,
      retryAfterMs: L.sourceWindowMs - 100,
    });
    expect(await admit('someone-else', '10.0.0.9', now + L.sourceWindowMs)).toEqual({ allowed: true });
  });

  it('refuses a name with 50 failures in an hour, from any source', async () => {
    for (let i = 0; i < L.nameFailures; i += 1) {
      expect(await admit('supervisor', `10.1.${Math.floor(i / 4)}.${i % 4}`, now + i * 1_000)).toEqual({
        allowed: true,
      });
    }
    const refused = await admit('supervisor', '192.168.1.1', now + 60_000);
    expect(refused).toEqual({ allowed: false, retryAfterMs: L.nameWindowMs - 60_000 });
  });
});
