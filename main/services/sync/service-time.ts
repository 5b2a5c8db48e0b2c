/**
 * Checks what the service signed: its time (bound to the nonce this client sent, so an old
 * answer cannot be replayed) and the identity a sign-in opened.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { verifySignature } from '../../../core/crypto/signing-key';
import type { IdentityStatement, SignedIdentity, SignedServiceTime } from '../../../shared/sync/messages';
import { serviceStatementMessage } from '../../../shared/sync/protocol';
import { ServiceTrustError } from './service-trust';

/** A fresh nonce for a request whose answer carries signed service time. */
export const newTimeNonce = (): string => randomBytes(16).toString('base64url');

/** True when `signature` is the service key's signature over the statement. */
export function signedBy(key: KeyObject, signed: { statement: { purpose: string }; signature: string }): boolean {
  try {
    return verifySignature(
      key,
      Buffer.from(serviceStatementMessage(signed.statement), 'utf8'),
      Buffer.from(signed.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/**
 * The service's time from a signed answer to a request that carried `nonce`.
 * @throws ServiceTrustError when the signature or the nonce does not match.
 */
export function verifiedServiceTime(key: KeyObject, signed: SignedServiceTime, nonce: string): number {
  if (!signedBy(key, signed)) {
    throw new ServiceTrustError('bad_signature', "The annotation service's time is not signed with its key.");
  }
  if (signed.statement.nonce !== nonce) {
    // A signed answer to another request: an old one replayed, or one meant for someone else.
    throw new ServiceTrustError('wrong_nonce', "The annotation service's signed time answers another request.");
  }
  return signed.statement.at;
}

/**
 * The identity statement, if the service signed it with `key` for this device key. Its expiry is
 * the caller's to check, against service time.
 */
export function verifiedIdentity(
  key: KeyObject,
  signed: SignedIdentity,
  deviceKeyId: string,
): IdentityStatement | null {
  return signedBy(key, signed) && signed.statement.keyId === deviceKeyId ? signed.statement : null;
}
