import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/ipc/dispatcher';
import { createHandlerTable } from '../../../main/ipc/handlers';
import { silentLogger } from '../../../main/log/logger';
import { FREE_TRIES } from '../../../main/services/lock.service';
import type { Services } from '../../../main/services';
import { startTestService, type TestService } from '../../support/reference-service';
import { makeServices, queryDb, type ServicesEnv } from '../../support/services';

const ORIGIN = 'app://earmark';
const CLIP = { batchId: 'b-AAAAAAAAARESTART', clipId: 'c-AAAAAAAAAAAA0000' };

const invoke = (services: Services, channel: string, payload?: unknown) =>
  createDispatcher({ handlers: createHandlerTable(services), allowedOrigin: ORIGIN, logger: silentLogger }).invoke(
    { frameUrl: `${ORIGIN}/index.html`, fromOwnWindow: true },
    channel,
    payload,
  );

const code = async (services: Services, channel: string, payload?: unknown): Promise<string> => {
  const r = await invoke(services, channel, payload);
  return r.ok ? 'ok' : r.error.code;
};

describe('lock across a restart, with a service', () => {
  let svc: TestService;
  let env: ServicesEnv;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch('b-AAAAAAAAARESTART', 2);
    env = makeServices({ serviceUrl: svc.url });
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
  });
  afterEach(async () => {
    env.dispose();
    await svc.stop();
  });

  it('starts locked after a restart and serves no clip, work or report until unlocked', async () => {
    expect(await code(env.services, 'clips:open', CLIP)).toBe('ok');
    env.services.lock.lock('manual');
    const after = env.reopen();
    expect(after.lock.state()).toMatchObject({ locked: true, reason: 'restart', methods: ['password'] });
    for (const [channel, payload] of [
      ['clips:open', CLIP],
      ['clips:list', { batchId: CLIP.batchId }],
      ['annotations:work', CLIP],
      ['reports:shifts', undefined],
    ] as const) {
      expect(await code(after, channel, payload), channel).toBe('LOCKED');
    }
    // Offline, the locally held verifier unlocks; the sender waits for a sign-in.
    await svc.stop();
    expect(await code(after, 'lock:unlock', { secret: svc.reviewer.password })).toBe('ok');
    expect(await code(after, 'clips:open', CLIP)).toBe('ok');
    expect(after.sync.status().connection).toBe('signInRequired');
    svc = await startTestService();
  });

  it('starts locked even when it was not locked when it stopped', async () => {
    const after = env.reopen();
    expect(after.lock.isLocked()).toBe(true);
    expect(await code(after, 'clips:open', CLIP)).toBe('LOCKED');
  });

  it('online, a fresh sign-in opens the work as the unlock does', async () => {
    // No secret left to ask for (signed out elsewhere, verifier gone): it does not start locked,
    // yet nothing is served until this process sees a sign-in.
    env.services.lock.forgetSecrets();
    const after = env.reopen();
    expect(after.lock.isLocked()).toBe(false);
    expect(after.lock.awaitsProof()).toBe(true);
    expect(await code(after, 'clips:open', CLIP)).toBe('LOCKED');
    expect(await code(after, 'annotations:work', CLIP)).toBe('LOCKED');
    expect(await code(after, 'sync:signIn', svc.credentials())).toBe('ok');
    expect(await code(after, 'clips:open', CLIP)).toBe('ok');
  });

  it('refuses a sign-out while locked, so the unlock secrets cannot be dropped from the lock screen', async () => {
    env.services.lock.lock('manual');
    expect(await code(env.services, 'sync:signOut')).toBe('LOCKED');
    expect(env.services.session.get().mode).toBe('service');
    expect(env.services.lock.state().methods).toEqual(['password']);
    await env.services.lock.unlock(svc.reviewer.password);
    expect(await code(env.services, 'sync:signOut')).toBe('ok');
  });

  it('counts parallel wrong tries one by one, before each check', async () => {
    env.services.lock.lock('manual');
    const tries = await Promise.all(
      Array.from({ length: 40 }, () => invoke(env.services, 'lock:unlock', { secret: 'wrong-guess' })),
    );
    const codes = tries.map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.slice(0, FREE_TRIES)).toEqual(Array<string>(FREE_TRIES).fill('WRONG_SECRET'));
    // The try that reached the limit is refused as wrong; every later one waits, unchecked.
    expect(codes.filter((c) => c === 'WRONG_SECRET')).toHaveLength(FREE_TRIES);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(40 - FREE_TRIES);
    // Even the right password waits now.
    expect(await code(env.services, 'lock:unlock', { secret: svc.reviewer.password })).toBe('RATE_LIMITED');
  });

  it('keeps the count and the wait over a restart, sealed', async () => {
    env.services.lock.lock('manual');
    for (let i = 0; i < FREE_TRIES; i += 1) {
      await expect(env.services.lock.unlock('wrong')).rejects.toMatchObject({ code: 'WRONG_SECRET' });
    }
    const retryAt = env.services.lock.state().retryAt;
    expect(retryAt).not.toBeNull();
    const after = env.reopen();
    expect(after.lock.state().retryAt).toBe(retryAt);
    await expect(after.lock.unlock(svc.reviewer.password)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // Stored sealed: the row shows no count an editor could reset.
    const rows = queryDb<{ value: string }>(
      env.dataDir,
      "SELECT value FROM settings WHERE key = 'sealed.unlockFailures'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.value).not.toMatch(/"count"|retryAt/);
  });
});

describe('lock across a restart, without a service', () => {
  let env: ServicesEnv;
  beforeEach(() => {
    env = makeServices();
  });
  afterEach(() => env.dispose());

  it('starts locked with a PIN set, and unlocked without one', async () => {
    expect(env.reopen().lock.isLocked()).toBe(false);
    await env.services.lock.setPin('482913');
    const after = env.reopen();
    expect(after.lock.state()).toMatchObject({ locked: true, reason: 'restart', methods: ['pin'] });
    expect(after.lock.awaitsProof()).toBe(false);
    expect((await after.lock.unlock('482913')).locked).toBe(false);
  });
});
