import { randomBytes } from 'node:crypto';
import type { ReviewerIdentity, SessionInfo } from '../../shared/domain/session';
import type { SettingsRepository } from '../db/repositories/settings.repository';
import type { EventHub } from './event-hub';

/**
 * Who is reviewing. Signed in to a service, the identity is the one the service gave (a
 * pseudonym and a role, never a name). With no service the app runs in demo mode under a
 * pseudonym made once per workstation and kept, so watermarks and reports stay consistent.
 *
 * Signing in and out is announced as `session:signedIn` / `session:signedOut` on the hub,
 * whoever does it (the sync client or a test), so what follows from it (a shift starts or
 * ends) belongs to the service that owns it, not to every caller.
 */
export function createSessionService(settings: SettingsRepository, events: Pick<EventHub, 'publish'>) {
  const demoPseudonym = (): string => {
    const saved = settings.get('demo.pseudonym');
    if (saved) {
      return saved;
    }
    const made = `demo-${randomBytes(3).toString('hex')}`;
    settings.set('demo.pseudonym', made);
    return made;
  };
  return {
    get: (): SessionInfo => {
      // A damaged row reads as absent: nobody is signed in, and sign-in writes a fresh one.
      const signedIn = settings.get('session.identity');
      return signedIn
        ? { identity: signedIn, mode: 'service' }
        : { identity: { pseudonym: demoPseudonym(), role: 'reviewer' }, mode: 'demo' };
    },
    /** Records the identity a service vouched for; it holds until {@link signOut}. */
    signIn: (identity: ReviewerIdentity): void => {
      settings.set('session.identity', { pseudonym: identity.pseudonym, role: identity.role });
      events.publish('session:signedIn', identity);
    },
    /** Forgets the service identity; the workstation falls back to demo mode. */
    signOut: (): void => {
      settings.delete('session.identity');
      events.publish('session:signedOut');
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
