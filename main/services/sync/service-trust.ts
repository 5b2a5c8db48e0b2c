/**
 * Which Ed25519 key speaks for the annotation service. An admin policy pins it
 * (`servicePublicKey`); without one (development) the workstation takes the key the first
 * sign-in answer names and keeps it as a sealed monotonic entry (main/db/sealed-state.ts), so it
 * can be neither swapped nor deleted in the database. Any other key later is refused, loudly: the
 * sign-in fails, the sender stops, the log and the sync panel say so.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { signingPublicKeyFromRaw } from '../../../core/crypto/signing-key';
import type { ServiceKeyInfo } from '../../../shared/domain/sync';
import { base64Bytes } from '../../../shared/sync/messages';
import type { SealedStateAccess } from '../../db/sealed-state';
import type { Logger } from '../../log/logger';

const ENTRY = 'serviceSigningKey';
const keptSchema = z.strictObject({ publicKey: base64Bytes(32), firstUsedAt: z.number().int().nonnegative() });

/** Why an answer of the service was not believed. */
export type ServiceTrustFault = 'key_mismatch' | 'bad_signature' | 'wrong_nonce' | 'no_key' | 'kept_key_refused';

/** An answer the service did not sign as it must, or signed with a key this workstation does not trust. */
export class ServiceTrustError extends Error {
  override readonly name = 'ServiceTrustError';
  constructor(
    readonly fault: ServiceTrustFault,
    message: string,
  ) {
    super(message);
  }
}

/** SHA-256 of a raw public key given as base64, in hex. */
export const keyFingerprint = (publicKey: string): string =>
  createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex');

export type ServiceTrustDeps = {
  /** The key the admin policy pins, raw and base64; null where none is pinned. */
  readonly pinned: string | null;
  /** Sealed state reachable while locked (the key is read once per use). */
  readonly state: SealedStateAccess;
  readonly logger: Logger;
  readonly now: () => number;
};

export function createServiceTrust(d: ServiceTrustDeps) {
  /** The key kept on first use; null before it, undefined until read. */
  let kept: string | null | undefined;
  let refused: string | null = null;

  const keptKey = (): string | null => {
    if (kept === undefined) {
      const found = d.state.read(ENTRY, keptSchema);
      if (found.state === 'refused') {
        d.logger.error('sync: the service key kept on first use was altered; no answer is trusted', {
          fault: found.error.fault,
        });
        throw new ServiceTrustError(
          'kept_key_refused',
          "The annotation service's key kept on this workstation was altered.",
        );
      }
      kept = found.state === 'present' ? found.value.publicKey : null;
    }
    return kept;
  };

  /** The key answers must be signed with: the pinned one, else the one kept; null before first use. */
  const expected = (): string | null => d.pinned ?? keptKey();

  return {
    /** The public key answers are checked against; null before the first sign-in in development. */
    current(): KeyObject | null {
      const key = expected();
      return key === null ? null : signingPublicKeyFromRaw(Buffer.from(key, 'base64'));
    },

    /**
     * The key an answer names, as a KeyObject, if this workstation trusts it or has trusted none
     * yet (call {@link keep} once its answer verified).
     * @throws ServiceTrustError when it is not the pinned or the kept key.
     */
    check(offered: string): KeyObject {
      const key = expected();
      if (key !== null && key !== offered) {
        refused = keyFingerprint(offered);
        d.logger.error('sync: the service presented another signing key; refused', {
          expected: keyFingerprint(key).slice(0, 16),
          offered: refused.slice(0, 16),
          pinned: d.pinned !== null,
        });
        throw new ServiceTrustError(
          'key_mismatch',
          'The annotation service signed with a key this workstation does not trust; nothing it said was taken.',
        );
      }
      return signingPublicKeyFromRaw(Buffer.from(offered, 'base64'));
    },

    /** Keeps a key first used in development (a pinned or kept key needs nothing). */
    keep(offered: string): void {
      if (expected() !== null) {
        return;
      }
      d.state.advance(ENTRY, keptSchema, { publicKey: offered, firstUsedAt: d.now() });
      kept = offered;
      d.logger.warn('sync: no service key is pinned; the key of this service is kept from now on', {
        fingerprint: keyFingerprint(offered).slice(0, 16),
      });
    },

    /** The trusted key's fingerprint, whether pinned, and any key refused; null before first use. */
    info(): ServiceKeyInfo | null {
      let key: string | null;
      try {
        key = expected();
      } catch {
        key = null;
      }
      return key === null ? null : { fingerprint: keyFingerprint(key), pinned: d.pinned !== null, refused };
    },
  };
}

export type ServiceTrust = ReturnType<typeof createServiceTrust>;
