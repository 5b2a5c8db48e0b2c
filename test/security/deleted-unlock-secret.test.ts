/**
 * The unlock secret's verifier deleted from the database with a tool of one's own: the lock must
 * not turn into one that asks for nothing and serves everything, neither in the running app nor
 * after a restart. Without a service (an offline station) it no longer opens; with one, nothing
 * is served until a sign-in.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../main/ipc/dispatcher';
import { createHandlerTable } from '../../main/ipc/handlers';
import { silentLogger } from '../../main/log/logger';
import type { Services } from '../../main/services';
import { startTestService, type TestService } from '../support/reference-service';
import { makeServices, type ServicesEnv } from '../support/services';

const ORIGIN = 'app://earmark';

/** The call's outcome through the real dispatcher: 'ok' or the error code. */
const code = async (services: Services, channel: string, payload?: unknown): Promise<string> => {
  const r = await createDispatcher({
    handlers: createHandlerTable(services),
    allowedOrigin: ORIGIN,
    logger: silentLogger,
  }).invoke({ frameUrl: `${ORIGIN}/index.html`, fromOwnWindow: true }, channel, payload);
  return r.ok ? 'ok' : r.error.code;
};

const deleteVerifiers = (dataDir: string): void => {
  const db = new Database(join(dataDir, 'earmark.db'));
  try {
    db.prepare("DELETE FROM settings WHERE key IN ('lock.pin', 'lock.password')").run();
  } finally {
    db.close();
  }
};

describe('an unlock PIN deleted from the database, without a service', () => {
  let env: ServicesEnv;

  beforeEach(async () => {
    env = makeServices();
    await env.services.lock.setPin('482913');
  });
  afterEach(() => env.dispose());

  it('does not unlock the running app without the PIN', async () => {
    env.services.lock.lock('manual');
    deleteVerifiers(env.dataDir);
    await expect(env.services.lock.unlock()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(env.services.lock.isLocked()).toBe(true);
  });

  it('starts locked after a restart and does not unlock without the PIN', async () => {
    env.services.lock.lock('manual');
    deleteVerifiers(env.dataDir);
    const after = env.reopen();
    expect(after.lock.isLocked()).toBe(true);
    await expect(after.lock.unlock()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(after.lock.isLocked()).toBe(true);
  });
});

describe('an unlock password deleted from the database, with a service', () => {
  let svc: TestService;
  let env: ServicesEnv;
  const CLIP = { batchId: 'b-AAAAAAAAAAAAAAA1', clipId: 'c-AAAAAAAAAAAA0000' };

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch(CLIP.batchId, 1);
    env = makeServices({ serviceUrl: svc.url });
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
  });
  afterEach(async () => {
    env.dispose();
    await svc.stop();
  });

  it('serves no clip, in the running app or after a restart, until a sign-in', async () => {
    expect(await code(env.services, 'clips:open', CLIP)).toBe('ok');
    env.services.lock.lock('manual');
    deleteVerifiers(env.dataDir);
    expect(await code(env.services, 'lock:unlock', {})).toBe('ok');
    expect(await code(env.services, 'clips:open', CLIP)).toBe('LOCKED');
    expect(await code(env.services, 'sync:signIn', svc.credentials())).toBe('ok');
    expect(await code(env.services, 'clips:open', CLIP)).toBe('ok');

    env.services.lock.lock('manual');
    deleteVerifiers(env.dataDir);
    const after = env.reopen();
    expect(await code(after, 'clips:open', CLIP)).toBe('LOCKED');
    expect(await code(after, 'sync:signIn', svc.credentials())).toBe('ok');
    expect(await code(after, 'clips:open', CLIP)).toBe('ok');
  });
});
