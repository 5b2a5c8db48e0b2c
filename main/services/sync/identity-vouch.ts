/**
 * Whether a kept identity statement still vouches for its role: signed by the service key this
 * workstation trusts, for this workstation's device key, not expired in trusted (service) time,
 * and for a role the app has (never `operator`).
 */
import type { Role } from '../../../shared/domain/session';
import type { SignedIdentity } from '../../../shared/sync/messages';
import type { IdentityVouch } from '../session.service';
import type { TrustedClock } from '../trusted-clock';
import { verifiedIdentity } from './service-time';
import type { ServiceTrust } from './service-trust';

export type IdentityVouchDeps = {
  readonly trust: Pick<ServiceTrust, 'current'>;
  readonly clock: Pick<TrustedClock, 'now'>;
  /** This workstation's device key id (its public half: readable while locked). */
  readonly deviceKeyId: () => string;
};

export function createIdentityVouch(d: IdentityVouchDeps): IdentityVouch {
  return (signed: SignedIdentity): Role | null => {
    let key;
    try {
      key = d.trust.current();
    } catch {
      // The kept service key was altered: nothing it signed is believed.
      return null;
    }
    const statement = key ? verifiedIdentity(key, signed, d.deviceKeyId()) : null;
    if (!statement || statement.role === 'operator' || statement.expiresAt <= d.clock.now()) {
      return null;
    }
    return statement.role;
  };
}
