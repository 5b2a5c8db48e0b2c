/**
 * Signs a workstation in as the annotation service would vouch for it: a service signing key
 * made for the test process, taken on first use by the workstation, and an identity statement
 * signed with it for the workstation's device key. Supervisor reports trust a role only from
 * such a statement.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { SigningKey } from '../../core/crypto/signing-key';
import type { Services } from '../../main/services';
import type { ReviewerIdentity } from '../../shared/domain/session';
import type { SignedIdentity } from '../../shared/sync/messages';
import { signIdentity, signingPublicKeyText } from '../../service/service-signature';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The test process's stand-in for the service's signing key. */
export const testServiceSigningKey: SigningKey = (() => {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: createPublicKey(privateKey) };
})();

/** An identity statement for this workstation, signed with `key` (the test service key by default). */
export function signedIdentityFor(
  services: Pick<Services, 'device' | 'clock'>,
  identity: ReviewerIdentity,
  o: { readonly key?: SigningKey; readonly expiresInMs?: number } = {},
): SignedIdentity {
  const now = services.clock.now();
  return signIdentity(o.key ?? testServiceSigningKey, {
    pseudonym: identity.pseudonym,
    role: identity.role,
    keyId: services.device.info().keyId,
    issuedAt: now,
    expiresAt: now + (o.expiresInMs ?? 30 * DAY_MS),
  });
}

/** Signs `identity` in with a statement the workstation trusts (its service key taken on first use). */
export function signInVouched(
  services: Pick<Services, 'device' | 'clock' | 'session' | 'serviceTrust'>,
  identity: ReviewerIdentity,
): void {
  services.serviceTrust.keep(signingPublicKeyText(testServiceSigningKey));
  services.session.signIn(identity, signedIdentityFor(services, identity));
}
