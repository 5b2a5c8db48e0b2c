/**
 * Batch status and checkout: the package is packed on demand for the enrolled device's key, from
 * the clips as the service holds them now, so a clip withdrawn since is packed as its id alone.
 */
import { createPublicKey } from 'node:crypto';
import { packPackage } from '../../core/package/package-writer';
import { checkoutRequestSchema, timeNonceSchema, type BatchListResponse } from '../../shared/sync/messages';
import { releaseRequestSchema, type ReleaseResponse } from '../../shared/sync/hand-over-messages';
import { PACKAGE_MEDIA_TYPE, paths, TIME_NONCE_PARAM, type BatchHolder } from '../../shared/sync/protocol';
import { HttpError, parseJson } from '../http';
import { batchStatusAt } from '../store/batch-status';
import { appendAudit } from '../audit';
import { handOver, requireFreeOrHeldBy } from '../hand-over';
import { signServiceTime } from '../service-signature';
import type { Repositories } from '../store/repositories';
import { requireSessionDevice, requireStaff } from './device.routes';
import { callerOf, type Route, type RouteContext } from './route';
import { sessionDeviceOps } from './sync-state.routes';

/** Where a batch's checkout stands for the asking device; undefined when nobody holds it. */
async function holderFor(repos: Repositories, account: string, keyId: string, batchId: string) {
  const own = await repos.checkouts.find(account, keyId, batchId);
  if (own && own.releasedAt !== null) {
    return 'handed_over' satisfies BatchHolder;
  }
  const holder = await repos.checkouts.holder(batchId);
  if (!holder) {
    return undefined;
  }
  return holder.keyId === keyId ? ('here' satisfies BatchHolder) : ('elsewhere' satisfies BatchHolder);
}

/** The client's time nonce from the query, when it sent one; a malformed one is a 400. */
function timeNonceOf(url: string | undefined): string | undefined {
  const value = new URL(url ?? '/', 'http://service.invalid').searchParams.get(TIME_NONCE_PARAM);
  if (value === null) {
    return undefined;
  }
  const parsed = timeNonceSchema.safeParse(value);
  if (!parsed.success) {
    throw new HttpError(400, 'bad_request', `${TIME_NONCE_PARAM}: a nonce is 16 bytes, base64url.`);
  }
  return parsed.data;
}

/**
 * The batch named in the path, for a staff session on its own device `keyId`: a batch not
 * assigned to the caller is "not found", like one that does not exist.
 */
async function ownBatch(ctx: RouteContext, keyId: string) {
  const caller = requireStaff(ctx);
  requireSessionDevice(caller, keyId);
  const account = caller.account.account;
  const batch = await ctx.core.store.batches.find(ctx.params['batchId'] ?? '');
  if (!batch || batch.assignedTo !== account) {
    throw new HttpError(404, 'not_found', 'No such batch for this reviewer.');
  }
  return { keyId, account, pseudonym: caller.account.pseudonym, batch };
}

export const listBatches: Route = {
  method: 'GET',
  path: paths.batches,
  auth: true,
  async handle(ctx) {
    const now = ctx.core.now();
    const caller = callerOf(ctx);
    const nonce = timeNonceOf(ctx.req.url);
    const batches = await ctx.core.store.batches.assignedTo(caller.account.account);
    // Checkouts of a revoked device read as revoked to it, so it erases them at its next sync.
    const revoked = new Set(await ctx.core.store.checkouts.revokedOf(caller.account.account, caller.session.keyId));
    const response: BatchListResponse = {
      batches: [],
      serviceTime: signServiceTime(ctx.core.signingKey, now, nonce),
      // The session device's own op figures ride along: a workstation checks them for losses at
      // every cycle, right after this list.
      deviceOps: await sessionDeviceOps(ctx),
    };
    for (const b of batches) {
      // Named so every workstation holding one of these clips erases it at its next sync.
      const withdrawn = await ctx.core.store.batches.withdrawnClips(b.batchId);
      const holder = await holderFor(ctx.core.store, caller.account.account, caller.session.keyId, b.batchId);
      response.batches.push({
        batchId: b.batchId,
        status: revoked.has(b.batchId) ? 'revoked' : batchStatusAt(b, now),
        expiresAt: b.expiresAt,
        clipCount: b.clipCount,
        ...(withdrawn.length > 0 ? { withdrawnClipIds: withdrawn } : {}),
        ...(holder ? { holder } : {}),
      });
    }
    return { status: 200, json: response };
  },
};

export const checkout: Route = {
  method: 'POST',
  path: paths.checkout(':batchId'),
  auth: true,
  audit: 'batch.checkout',
  async handle(ctx) {
    const { keyId, account, pseudonym, batch } = await ownBatch(ctx, parseJson(ctx.body, checkoutRequestSchema).keyId);
    if (batchStatusAt(batch, ctx.core.now()) !== 'active') {
      throw new HttpError(403, 'forbidden', `Batch "${batch.batchId}" is no longer active.`);
    }
    const device = await ctx.core.store.devices.find(account, keyId);
    if (!device) {
      throw new HttpError(403, 'device_not_enrolled', 'Enrol this device before checking out batches.');
    }
    if (device.state === 'pending') {
      throw new HttpError(403, 'device_pending', 'This device is waiting for an operator to approve it.');
    }
    if (device.state === 'revoked') {
      throw new HttpError(403, 'device_revoked', 'This device was revoked; it receives no more batches.');
    }
    if ((await ctx.core.store.checkouts.revokedOf(account, keyId)).includes(batch.batchId)) {
      throw new HttpError(403, 'forbidden', `Batch "${batch.batchId}" was revoked for this device.`);
    }
    // One writer per batch: packed for nobody else while another device holds it.
    await requireFreeOrHeldBy(ctx.core.store, batch.batchId, keyId);
    const clips = await ctx.core.store.batches.clips(batch.batchId);
    // Audio purged after the batch ended (service/audio-retention.ts) is never packed as if the
    // clip had none: a batch whose expiry was moved after the purge stays unusable.
    if (clips.some((c) => c.audio === null && c.details.consent !== 'withdrawn')) {
      throw new HttpError(403, 'forbidden', `Batch "${batch.batchId}" ended and its audio was purged.`);
    }
    const bytes = packPackage({
      batchId: batch.batchId,
      createdAt: new Date(batch.createdAt),
      expiresAt: new Date(batch.expiresAt),
      locale: batch.locale,
      recipient: createPublicKey({
        key: { kty: 'OKP', crv: 'X25519', x: device.encryptionKey.toString('base64url') },
        format: 'jwk',
      }),
      clips,
      // Sealed in the package, so an offline station can tell whose batch it carries.
      assignedTo: pseudonym,
    });
    const now = ctx.core.now();
    await ctx.core.store.transaction(async (tx) => {
      // Checked again where it is recorded: of two devices racing for a free batch, one gets it.
      await requireFreeOrHeldBy(tx, batch.batchId, keyId);
      await tx.checkouts.record(account, keyId, batch.batchId, now);
      await appendAudit(tx, {
        at: now,
        actor: account,
        source: ctx.source,
        action: 'batch.checkout',
        subject: batch.batchId,
        detail: { keyId, clips: clips.length },
      });
    });
    ctx.core.metrics.checkout();
    return { status: 200, bytes, contentType: PACKAGE_MEDIA_TYPE };
  },
};

/**
 * The holding device hands the batch over: the client drained its work on the batch first, and
 * its later annotations for it are refused (`handed_over`). Needs the session's own device, which
 * must hold the batch; every refusal is audited.
 */
export const releaseBatch: Route = {
  method: 'POST',
  path: paths.release(':batchId'),
  auth: true,
  audit: 'batch.release',
  async handle(ctx) {
    const { keyId, account, batch } = await ownBatch(ctx, parseJson(ctx.body, releaseRequestSchema).keyId);
    const ended = await handOver(ctx.core, {
      batchId: batch.batchId,
      kind: 'handed_over',
      actor: account,
      source: ctx.source,
      keyId,
    });
    const response: ReleaseResponse = { batchId: batch.batchId, releasedAt: ended.releasedAt ?? ctx.core.now() };
    return { status: 200, json: response };
  },
};
