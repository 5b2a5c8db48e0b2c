import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDispatcher } from '../../../main/ipc/dispatcher';
import { createHandlerTable } from '../../../main/ipc/handlers';
import { silentLogger } from '../../../main/log/logger';
import { FREE_TRIES } from '../../../main/services/lock.service';
import { ServiceError } from '../../../main/services/service-error';
import { startTestService, type TestService } from '../../support/reference-service';
import { makeServices, queryDb, type ServicesEnv } from '../../support/services';

const ORIGIN = 'app://earmark';

describe('lock', () => {
  let svc: TestService;
  let env: ServicesEnv;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch('b-AAAAAAAAAAAA10CK', 2);
    env = makeServices({ serviceUrl: svc.url });
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
  });
  afterEach(async () => {
    env.dispose();
    await svc.stop();
  });

  const invoke = (channel: string, payload?: unknown) =>
    createDispatcher({
      handlers: createHandlerTable(env.services),
      allowedOrigin: ORIGIN,
      logger: silentLogger,
    }).invoke({ frameUrl: `${ORIGIN}/index.html`, fromOwnWindow: true }, channel, payload);

  it('refuses clip audio and saved work while locked, but still takes the draft being flushed', async () => {
    expect((await invoke('clips:open', { batchId: 'b-AAAAAAAAAAAA10CK', clipId: 'c-AAAAAAAAAAAA0000' })).ok).toBe(true);
    env.services.lock.lock('idle');
    expect(await invoke('clips:open', { batchId: 'b-AAAAAAAAAAAA10CK', clipId: 'c-AAAAAAAAAAAA0000' })).toEqual({
      ok: false,
      error: { code: 'LOCKED', message: 'Earmark is locked: unlock it to carry on.' },
    });
    expect((await invoke('annotations:work', { batchId: 'b-AAAAAAAAAAAA10CK', clipId: 'c-AAAAAAAAAAAA0000' })).ok).toBe(
      false,
    );
    const draft = await invoke('annotations:saveDraft', {
      batchId: 'b-AAAAAAAAAAAA10CK',
      clipId: 'c-AAAAAAAAAAAA0000',
      basedOnRevision: 0,
      body: { transcript: 'typed just before the lock', critical: [], entities: [] },
      disposition: null,
    });
    expect(draft.ok).toBe(true);
    await env.services.lock.unlock(svc.reviewer.password);
    expect(env.services.annotations.work('b-AAAAAAAAAAAA10CK', 'c-AAAAAAAAAAAA0000').draft?.transcript).toBe(
      'typed just before the lock',
    );
  });

  it('unlocks with the sign-in password, checked on the workstation, or with a PIN', async () => {
    env.services.lock.lock('os_lock');
    expect(env.services.lock.state()).toMatchObject({ locked: true, reason: 'os_lock', methods: ['password'] });
    await svc.stop();
    // Offline now: the password is checked against the local verifier.
    expect((await env.services.lock.unlock(svc.reviewer.password)).locked).toBe(false);
    await env.services.lock.setPin('482913');
    env.services.lock.lock('suspend');
    expect(env.services.lock.state().methods).toEqual(['password', 'pin']);
    expect((await env.services.lock.unlock('482913')).locked).toBe(false);
    svc = await startTestService();
  });

  it('refuses a wrong secret and, after a few, makes the reviewer wait', async () => {
    env.services.lock.lock('manual');
    for (let i = 0; i < FREE_TRIES; i += 1) {
      await expect(env.services.lock.unlock('wrong')).rejects.toMatchObject({ code: 'WRONG_SECRET' });
    }
    expect(env.services.lock.state().retryAt).not.toBeNull();
    const waiting = await env.services.lock.unlock(svc.reviewer.password).then(
      () => null,
      (error: unknown) => error,
    );
    expect(waiting).toMatchObject({ code: 'RATE_LIMITED' });
    // The wait travels as a number, so a screen can say it in the reviewer's language.
    const details = waiting instanceof ServiceError ? waiting.details : undefined;
    expect(details && 'retryAfterSeconds' in details ? details.retryAfterSeconds : 0).toBeGreaterThan(0);
    expect(env.services.lock.isLocked()).toBe(true);
  });

  it('forgets the password verifier and the PIN at sign-out, and refuses a PIN that is not 4 to 12 digits', async () => {
    await expect(env.services.lock.setPin('12a4')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await env.services.lock.setPin('1234');
    await env.services.sync.signOut();
    expect(env.services.lock.state().methods).toEqual(['none']);
  });

  it('refuses sign-in and shift reports while locked too', async () => {
    env.services.lock.lock('manual');
    expect(await invoke('sync:signIn', svc.credentials())).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(await invoke('reports:shifts')).toMatchObject({
      ok: false,
      error: { code: 'LOCKED', message: 'Earmark is locked: unlock it to carry on.' },
    });
  });

  it('holds the sender while locked, without calling it a failure, and sends at unlock', async () => {
    env.services.lock.lock('idle');
    // The lock's own audit event waits in the outbox.
    expect(env.services.sync.status().pending).toBeGreaterThan(0);
    const status = await env.services.sync.syncNow();
    expect(status).toMatchObject({ connection: 'online', nextAttemptAt: null });
    expect(status.pending).toBeGreaterThan(0);
    await env.services.lock.unlock(svc.reviewer.password);
    await vi.waitFor(() => expect(env.services.sync.status().pending).toBe(0));
  });

  it('keeps the password verifier only sealed, never the password', () => {
    const [row] = queryDb<{ value: string }>(env.dataDir, "SELECT value FROM settings WHERE key = 'lock.password'");
    const stored = Buffer.from(row?.value ?? '', 'base64');
    // IV, tag and a sealed salt-and-hash: nothing readable, and not the password.
    expect(stored.length).toBe(12 + 16 + 48);
    expect(stored.includes(Buffer.from(svc.reviewer.password))).toBe(false);
  });
});

describe('lock in demo mode', () => {
  let env: ServicesEnv;
  beforeEach(() => {
    env = makeServices();
  });
  afterEach(() => env.dispose());

  it('with no PIN set, still locks and unlocks on the reviewer confirming: there is no password to ask for', async () => {
    expect(env.services.session.get().mode).toBe('demo');
    expect(env.services.lock.lock('idle')).toMatchObject({ locked: true, methods: ['none'] });
    expect(await env.services.lock.unlock()).toMatchObject({ locked: false });
  });

  it('with a PIN set, asks for it and counts wrong ones', async () => {
    await env.services.lock.setPin('90210');
    env.services.lock.lock('manual');
    expect(env.services.lock.state().methods).toEqual(['pin']);
    await expect(env.services.lock.unlock()).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Enter your password or PIN.',
    });
    await expect(env.services.lock.unlock('90211')).rejects.toMatchObject({ code: 'WRONG_SECRET' });
    expect(env.services.lock.isLocked()).toBe(true);
    expect((await env.services.lock.unlock('90210')).locked).toBe(false);
  });

  it('refuses to set a PIN while locked', async () => {
    env.services.lock.lock('manual');
    await expect(env.services.lock.setPin('1234')).rejects.toMatchObject({ code: 'LOCKED', message: 'Unlock first.' });
  });
});
