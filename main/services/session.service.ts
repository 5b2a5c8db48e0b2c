import { randomBytes } from 'node:crypto';
import { roles, type ReviewerIdentity, type SessionInfo } from '../../shared/domain/session';
import type { SettingsRepository } from '../db/repositories/settings.repository';
import type { EventHub } from './event-hub';

const PSEUDONYM_KEY = 'demo.pseudonym';
const IDENTITY_KEY = 'session.identity';

/** Reads a stored service identity back, or undefined when none (or a damaged one) is stored. */
function parseIdentity(text: string | undefined): ReviewerIdentity | undefined {
  if (!text) {
    return undefined;
  }
  try {
    const raw = JSON.parse(text) as Partial<ReviewerIdentity>;
    if (typeof raw.pseudonym === 'string' && roles.some((r) => r === raw.role)) {
      return { pseudonym: raw.pseudonym, role: raw.role as ReviewerIdentity['role'] };
    }
  } catch {
    // A damaged row means nobody is signed in; sign-in writes a fresh one.
  }
  return undefined;
}

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
    const saved = settings.get(PSEUDONYM_KEY);
    if (saved) {
      return saved;
    }
    const made = `demo-${randomBytes(3).toString('hex')}`;
    settings.set(PSEUDONYM_KEY, made);
    return made;
  };
  return {
    get: (): SessionInfo => {
      const signedIn = parseIdentity(settings.get(IDENTITY_KEY));
      return signedIn
        ? { identity: signedIn, mode: 'service' }
        : { identity: { pseudonym: demoPseudonym(), role: 'reviewer' }, mode: 'demo' };
    },
    /** Records the identity a service vouched for; it holds until {@link signOut}. */
    signIn: (identity: ReviewerIdentity): void => {
      settings.set(IDENTITY_KEY, JSON.stringify({ pseudonym: identity.pseudonym, role: identity.role }));
      events.publish('session:signedIn', identity);
    },
    /** Forgets the service identity; the workstation falls back to demo mode. */
    signOut: (): void => {
      settings.delete(IDENTITY_KEY);
      events.publish('session:signedOut');
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
