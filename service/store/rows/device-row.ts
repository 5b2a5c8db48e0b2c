/** Devices and checkouts as both stores read them, and how a row becomes the repository's type. */
import type { ServiceDeviceState } from '../../../shared/sync/protocol';
import type { CheckoutRow, DeviceRow, ReleaseKind } from '../identity-repositories';

export type RawDevice = {
  account: string;
  key_id: string;
  encryption_key: Buffer;
  signing_key: Buffer;
  enrolled_at: number;
  state: ServiceDeviceState;
  decided_at: number | null;
  decided_by: string | null;
};

export const toDevice = (r: RawDevice): DeviceRow => ({
  account: r.account,
  keyId: r.key_id,
  encryptionKey: r.encryption_key,
  signingKey: r.signing_key,
  enrolledAt: r.enrolled_at,
  state: r.state,
  decidedAt: r.decided_at,
  decidedBy: r.decided_by,
});

export type RawCheckout = {
  account: string;
  key_id: string;
  batch_id: string;
  at: number;
  revoked_at: number | null;
  released_at: number | null;
  release_kind: ReleaseKind | null;
};

/** The `checkouts` columns a {@link RawCheckout} holds. */
export const CHECKOUT_COLUMNS = 'account, key_id, batch_id, at, revoked_at, released_at, release_kind';

export const toCheckout = (r: RawCheckout): CheckoutRow => ({
  account: r.account,
  keyId: r.key_id,
  batchId: r.batch_id,
  at: r.at,
  revokedAt: r.revoked_at,
  releasedAt: r.released_at,
  releaseKind: r.release_kind,
});
