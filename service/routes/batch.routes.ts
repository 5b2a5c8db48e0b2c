/**
 * Batch status and checkout: the package is packed on demand for the enrolled device's key, from
 * the clips as the service holds them now, so a clip withdrawn since is packed as its id alone.
 */
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePackage } from '../../core/package/package-writer';
import { checkoutRequestSchema, type BatchListResponse } from '../../shared/sync/messages';
import { PACKAGE_MEDIA_TYPE, paths } from '../../shared/sync/protocol';
import { HttpError, parseJson } from '../http';
import { batchStatusAt } from '../store/batch-status';
import { callerOf, type Route } from './route';

export const listBatches: Route = {
  method: 'GET',
  path: paths.batches,
  auth: true,
  async handle(ctx) {
    const now = ctx.core.now();
    const batches = await ctx.core.store.batches.assignedTo(callerOf(ctx).account.account);
    const response: BatchListResponse = { batches: [] };
    for (const b of batches) {
      // Named so every workstation holding one of these clips erases it at its next sync.
      const withdrawn = await ctx.core.store.batches.withdrawnClips(b.batchId);
      response.batches.push({
        batchId: b.batchId,
        status: batchStatusAt(b, now),
        expiresAt: b.expiresAt,
        clipCount: b.clipCount,
        ...(withdrawn.length > 0 ? { withdrawnClipIds: withdrawn } : {}),
      });
    }
    return { status: 200, json: response };
  },
};

export const checkout: Route = {
  method: 'POST',
  path: paths.checkout(':batchId'),
  auth: true,
  async handle(ctx) {
    const { keyId } = parseJson(ctx.body, checkoutRequestSchema);
    const account = callerOf(ctx).account.account;
    const batch = await ctx.core.store.batches.find(ctx.params['batchId'] ?? '');
    if (!batch || batch.assignedTo !== account) {
      throw new HttpError(404, 'not_found', 'No such batch for this reviewer.');
    }
    if (batchStatusAt(batch, ctx.core.now()) !== 'active') {
      throw new HttpError(403, 'forbidden', `Batch "${batch.batchId}" is no longer active.`);
    }
    const device = await ctx.core.store.devices.find(account, keyId);
    if (!device) {
      throw new HttpError(403, 'device_not_enrolled', 'Enrol this device before checking out batches.');
    }
    const clips = await ctx.core.store.batches.clips(batch.batchId);
    const dir = mkdtempSync(join(tmpdir(), 'earmark-service-pack-'));
    try {
      const file = join(dir, 'batch.earmark');
      writePackage(file, {
        batchId: batch.batchId,
        createdAt: new Date(batch.createdAt),
        expiresAt: new Date(batch.expiresAt),
        locale: batch.locale,
        recipient: createPublicKey({
          key: { kty: 'OKP', crv: 'X25519', x: device.encryptionKey.toString('base64url') },
          format: 'jwk',
        }),
        clips,
      });
      return { status: 200, bytes: readFileSync(file), contentType: PACKAGE_MEDIA_TYPE };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
