/**
 * Packs one clip for an account's approved device, outside any checkout: what a supervisor hears
 * of an escalation and a teammate of a second-listen request. Same package format and key
 * wrapping as a checkout; the package expires with its batch or after {@link HEARING_TTL_MS},
 * whichever is sooner, and every package made is recorded as a grant so playbacks can be tied
 * to it. The caller decides who may ask; this decides whether the clip and device allow it.
 */
import { createPublicKey } from 'node:crypto';
import { packPackage } from '../core/package/package-writer';
import { HEARING_TTL_MS, type HearingKind } from '../shared/sync/hearing-messages';
import type { Core } from './core';
import { HttpError } from './http';
import { batchStatusAt } from './store/batch-status';
import type { DeviceRow, Repositories, ServiceBatch } from './store/repositories';

/** The device must be the account's, approved and not revoked; the same refusals as a checkout. */
export async function requireApprovedDevice(repos: Repositories, account: string, keyId: string): Promise<DeviceRow> {
  const device = await repos.devices.find(account, keyId);
  if (!device) {
    throw new HttpError(403, 'device_not_enrolled', 'Enrol this device before hearing clips on it.');
  }
  if (device.state === 'pending') {
    throw new HttpError(403, 'device_pending', 'This device is waiting for an operator to approve it.');
  }
  if (device.state === 'revoked') {
    throw new HttpError(403, 'device_revoked', 'This device was revoked; it receives no more clips.');
  }
  return device;
}

/**
 * The batch of a clip to be heard, refused once the batch is no longer active (expired or
 * revoked) or the clip's consent is withdrawn.
 */
export async function requireHearableClip(repos: Repositories, now: number, batchId: string, clipId: string) {
  const batch = await repos.batches.find(batchId);
  if (!batch || !(await repos.batches.hasClip(batchId, clipId))) {
    throw new HttpError(404, 'not_found', 'No such clip.');
  }
  if (await repos.batches.isWithdrawn(batchId, clipId)) {
    throw new HttpError(410, 'clip_withdrawn', 'Consent for this clip was withdrawn; it cannot be heard.');
  }
  if (batchStatusAt(batch, now) !== 'active') {
    throw new HttpError(403, 'forbidden', `Batch "${batchId}" is no longer active.`);
  }
  return batch;
}

export type OneClipRequest = {
  readonly kind: HearingKind;
  readonly subject: string;
  readonly account: string;
  readonly keyId: string;
  readonly batch: ServiceBatch;
  readonly clipId: string;
  readonly source: string;
  /** The audit action the package is recorded under. */
  readonly action: string;
};

/** Packs the clip for the device, records the grant and audits it in one unit of work; returns the package. */
export async function packOneClip(core: Core, r: OneClipRequest): Promise<Buffer> {
  const device = await requireApprovedDevice(core.store, r.account, r.keyId);
  const clip = (await core.store.batches.clips(r.batch.batchId)).find((c) => c.details.id === r.clipId);
  if (!clip?.audio || clip.details.consent === 'withdrawn') {
    throw new HttpError(410, 'clip_withdrawn', 'Consent for this clip was withdrawn; it cannot be heard.');
  }
  const now = core.now();
  const expiresAt = Math.min(r.batch.expiresAt, now + HEARING_TTL_MS);
  const bytes = packPackage({
    batchId: r.batch.batchId,
    createdAt: new Date(now),
    expiresAt: new Date(expiresAt),
    locale: r.batch.locale,
    recipient: createPublicKey({
      key: { kty: 'OKP', crv: 'X25519', x: device.encryptionKey.toString('base64url') },
      format: 'jwk',
    }),
    clips: [clip],
  });
  await core.store.transaction(async (tx) => {
    await tx.hearings.grant({
      kind: r.kind,
      subject: r.subject,
      account: r.account,
      keyId: r.keyId,
      batchId: r.batch.batchId,
      clipId: r.clipId,
      grantedAt: now,
      expiresAt,
    });
    await tx.audit.append({
      at: now,
      actor: r.account,
      source: r.source,
      action: r.action,
      outcome: 'ok',
      code: null,
      subject: r.subject,
      detail: { kind: r.kind, keyId: r.keyId, batchId: r.batch.batchId, clipId: r.clipId },
    });
  });
  return bytes;
}
