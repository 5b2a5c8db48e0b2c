import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { roles, type ReviewerIdentity, type Role, type SessionInfo } from '../../shared/domain/session';
import { signedIdentitySchema, type SignedIdentity } from '../../shared/sync/messages';
import { aad } from '../../core/crypto/aead';
import { openJson, sealedFromText, sealedToText, sealJson } from '../../core/crypto/codec';
import { deriveLocalKey, type DeviceKey } from '../../core/crypto/device-key';
import type { SettingsRepository } from '../db/repositories/settings.repository';
import type { EventHub } from './event-hub';

const identitySchema = z.strictObject({ pseudonym: z.string(), role: z.enum(roles) });
const IDENTITY_AAD = aad('session-identity', '1');
const SIGNED_AAD = aad('session-signed-identity', '1');

/** The role a signed identity vouches for now (signature, device, expiry checked); null when none. */
export type IdentityVouch = (signed: SignedIdentity) => Role | null;

/**
 * Who is reviewing. Signed in to a service, the identity is the one the service gave (a
 * pseudonym and a role, never a name). With no service the app runs in demo mode under a
 * pseudonym made once per workstation and kept, so watermarks and reports stay consistent.
 *
 * The signed-in identity is kept sealed under a key derived from the device key: its role opens
 * the supervisor's reports, so a row edited in the database must not make a reviewer a
 * supervisor. An edited or foreign row does not open and reads as nobody signed in. A plain
 * row from an older version is sealed the first time it is read, then deleted. The identity is
 * kept in memory once read: the device key is read from the key store only for that.
 *
 * That row names who is working; it does not grant a role. Beside it the service's signed
 * identity statement is kept (sealed too, so the disk shows no role), and {@link vouchedRole}
 * trusts a role only from that statement: signed by the service key this workstation trusts,
 * for this device key, for the same pseudonym, and not expired in service time.
 *
 * Signing in and out is announced as `session:signedIn` / `session:signedOut` on the hub,
 * whoever does it (the sync client or a test), so what follows from it (a shift starts or
 * ends) belongs to the service that owns it, not to every caller.
 */
export function createSessionService(
  settings: SettingsRepository,
  events: Pick<EventHub, 'publish'>,
  /** The device key, also while locked (read once per use, kept nowhere). */
  deviceKey: () => DeviceKey,
  /** Checks a signed identity statement; without one no role is ever vouched for. */
  vouch: IdentityVouch = () => null,
) {
  /** The identity as last read or written; null when nobody is signed in. */
  let cached: ReviewerIdentity | null | undefined;

  const withKey = <T>(use: (key: Buffer) => T): T => {
    const key = deriveLocalKey(deviceKey(), 'session-identity');
    try {
      return use(key);
    } finally {
      key.fill(0);
    }
  };
  const store = (identity: ReviewerIdentity): void => {
    const value = { pseudonym: identity.pseudonym, role: identity.role };
    settings.set('session.sealedIdentity', sealedToText(withKey((key) => sealJson(key, value, IDENTITY_AAD))));
  };
  const load = (): ReviewerIdentity | null => {
    const legacy = settings.get('session.identity');
    if (legacy) {
      store(legacy);
      settings.delete('session.identity');
      return legacy;
    }
    const sealed = settings.get('session.sealedIdentity');
    if (!sealed) {
      return null;
    }
    try {
      return withKey((key) => openJson(key, sealedFromText(sealed), IDENTITY_AAD, identitySchema, 'The identity'));
    } catch {
      return null;
    }
  };

  const storeSigned = (signed: SignedIdentity | undefined): void => {
    if (signed) {
      settings.set('session.signedIdentity', sealedToText(withKey((key) => sealJson(key, signed, SIGNED_AAD))));
    } else {
      settings.delete('session.signedIdentity');
    }
  };
  const loadSigned = (): SignedIdentity | null => {
    const sealed = settings.get('session.signedIdentity');
    if (!sealed) {
      return null;
    }
    try {
      return withKey((key) =>
        openJson(key, sealedFromText(sealed), SIGNED_AAD, signedIdentitySchema, 'The signed identity'),
      );
    } catch {
      return null;
    }
  };

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
      cached ??= load();
      return cached
        ? { identity: cached, mode: 'service' }
        : { identity: { pseudonym: demoPseudonym(), role: 'reviewer' }, mode: 'demo' };
    },
    /**
     * The role the service's signed statement vouches for now, for the reviewer signed in here;
     * null in demo mode, without a valid statement, or once it expired.
     */
    vouchedRole: (): Role | null => {
      cached ??= load();
      const signed = cached ? loadSigned() : null;
      return signed && cached && signed.statement.pseudonym === cached.pseudonym ? vouch(signed) : null;
    },
    /**
     * Records who signed in, and the service's signed statement of it when there is one (the
     * role is trusted from that alone); it holds until {@link signOut}.
     */
    signIn: (identity: ReviewerIdentity, signed?: SignedIdentity): void => {
      store(identity);
      storeSigned(signed);
      cached = { pseudonym: identity.pseudonym, role: identity.role };
      events.publish('session:signedIn', identity);
    },
    /** Forgets the service identity; the workstation falls back to demo mode. */
    signOut: (): void => {
      settings.delete('session.sealedIdentity');
      settings.delete('session.signedIdentity');
      settings.delete('session.identity');
      cached = null;
      events.publish('session:signedOut');
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
