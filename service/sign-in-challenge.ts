/**
 * Sign-in challenges the service can check without having stored them. Anyone may ask for one, so
 * issuing it must cost the service no write: a caller with no account asking in a loop would
 * otherwise make the store commit (and sync to disk) once per request. A challenge is therefore
 * its own record: its expiry, random bytes, and a MAC over both under a key only the service
 * holds. The store learns of a challenge only when a sign-in spends it (service/routes/
 * session.routes.ts), and keeps it a while past its expiry (below) so it is spent once.
 *
 * The 32 bytes: 6 of expiry (milliseconds since the epoch, big-endian), 10 random, 16 of
 * HMAC-SHA-256 over the first 16. The MAC key is derived (HKDF, its own label) from the service's
 * Ed25519 signing key, which every process of a deployment loads from the same key file: a
 * challenge one process issued is taken by any other.
 *
 * Each process judges expiry by its own clock, and the hosts' clocks may differ a little. A
 * challenge from a process whose clock is ahead is still taken, and a spent challenge is
 * remembered for {@link CHALLENGE_CLOCK_TOLERANCE_MS} past its expiry: a process whose clock is
 * behind would still take it until then, and could otherwise take it a second time.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SigningKey } from '../core/crypto/signing-key';
import { signInLimits } from '../shared/sync/protocol';

const EXPIRY_BYTES = 6;
const RANDOM_BYTES = 10;
const MAC_BYTES = 16;
const SIGNED_BYTES = EXPIRY_BYTES + RANDOM_BYTES;
const CHALLENGE_BYTES = SIGNED_BYTES + MAC_BYTES;

/** How far apart the clocks of a deployment's processes may be (docs/deployment.md). */
export const CHALLENGE_CLOCK_TOLERANCE_MS = 5 * 60 * 1000;

export type ChallengeMinter = ReturnType<typeof createChallengeMinter>;

export function createChallengeMinter(signingKey: SigningKey) {
  const jwk = signingKey.privateKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') {
    throw new Error('The service signing key is not an Ed25519 private key.');
  }
  const seed = Buffer.from(jwk.d, 'base64url');
  const macKey = Buffer.from(hkdfSync('sha256', seed, Buffer.alloc(0), 'earmark/v1 sign-in challenge', 32));
  seed.fill(0);
  const mac = (signed: Buffer): Buffer => createHmac('sha256', macKey).update(signed).digest().subarray(0, MAC_BYTES);

  return {
    /** A new challenge, good until `expiresAt`. */
    issue(now: number): { readonly challenge: string; readonly expiresAt: number } {
      const expiresAt = now + signInLimits.challengeTtlMs;
      const signed = Buffer.alloc(SIGNED_BYTES);
      signed.writeUIntBE(expiresAt, 0, EXPIRY_BYTES);
      randomBytes(RANDOM_BYTES).copy(signed, EXPIRY_BYTES);
      return { challenge: Buffer.concat([signed, mac(signed)]).toString('base64url'), expiresAt };
    },
    /**
     * When `challenge` is one this service issued that has not expired at `now`, its expiry; else
     * null. Whether it was spent already is the store's to say: it must remember a spent one
     * until {@link forgetSpentBefore}.
     */
    check(challenge: string, now: number): number | null {
      const raw = Buffer.from(challenge, 'base64url');
      if (raw.length !== CHALLENGE_BYTES || raw.toString('base64url') !== challenge) {
        return null;
      }
      const signed = raw.subarray(0, SIGNED_BYTES);
      if (!timingSafeEqual(mac(signed), raw.subarray(SIGNED_BYTES))) {
        return null;
      }
      const expiresAt = signed.readUIntBE(0, EXPIRY_BYTES);
      // Never longer than a challenge lives, on a clock a little ahead: only the key's holder
      // could have made one that is.
      const latest = now + signInLimits.challengeTtlMs + CHALLENGE_CLOCK_TOLERANCE_MS;
      return expiresAt > now && expiresAt <= latest ? expiresAt : null;
    },
    /**
     * Spent challenges that expired before this time may be forgotten at `now`: no process whose
     * clock is within the tolerance of this one's still takes them.
     */
    forgetSpentBefore: (now: number): number => now - CHALLENGE_CLOCK_TOLERANCE_MS,
  };
}
