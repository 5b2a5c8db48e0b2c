import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, queryDb, type ServicesEnv } from '../../support/services';

/** The sender follows the lock through the hub; the lock knows nothing of it. */
describe('sync sender and the lock', () => {
  let env: ServicesEnv;
  beforeEach(() => {
    env = makeServices();
  });
  afterEach(() => env.dispose());

  const audits = () =>
    queryDb<{ audit_type: string; author: string }>(
      env.dataDir,
      "SELECT audit_type, author FROM outbox WHERE kind = 'audit' ORDER BY seq",
    );

  it('records locking and unlocking for the signed-in reviewer', async () => {
    env.services.session.signIn({ pseudonym: 'rv-9', role: 'reviewer' });
    env.services.lock.lock('manual');
    await env.services.lock.unlock();
    expect(audits()).toEqual([
      { audit_type: 'locked', author: 'rv-9' },
      { audit_type: 'unlocked', author: 'rv-9' },
    ]);
  });

  it('records nothing in demo mode, where nobody is signed in', async () => {
    env.services.lock.lock('manual');
    await env.services.lock.unlock();
    expect(audits()).toEqual([]);
  });

  it('stops following the hub once disposed', () => {
    env.services.session.signIn({ pseudonym: 'rv-9', role: 'reviewer' });
    env.services.sync.dispose();
    env.services.lock.lock('manual');
    expect(audits()).toEqual([]);
  });
});
