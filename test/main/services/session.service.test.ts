import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices } from '../../support/services';

describe('session service', () => {
  let env: ReturnType<typeof makeServices>;
  beforeEach(() => {
    env = makeServices();
  });
  afterEach(() => env.dispose());

  it('runs in demo mode under a pseudonym, never a name', () => {
    const session = env.services.session.get();
    expect(session.mode).toBe('demo');
    expect(session.identity.pseudonym).toMatch(/^demo-[0-9a-f]{6}$/);
  });

  it('keeps the same pseudonym across restarts of the workstation', () => {
    const first = env.services.session.get().identity.pseudonym;
    expect(env.reopen().session.get().identity.pseudonym).toBe(first);
  });

  it('reports the identity a service vouched for until sign-out, then demo mode again', () => {
    const demo = env.services.session.get().identity.pseudonym;
    env.services.session.signIn({ pseudonym: 'rv-7f3a', role: 'supervisor' });
    expect(env.reopen().session.get()).toEqual({
      identity: { pseudonym: 'rv-7f3a', role: 'supervisor' },
      mode: 'service',
    });
    env.services.session.signOut();
    expect(env.services.session.get()).toEqual({ identity: { pseudonym: demo, role: 'reviewer' }, mode: 'demo' });
  });
});
