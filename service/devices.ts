/**
 * What operators decide about devices — approve, revoke — and what reviewers' devices may do,
 * in one place for the admin endpoints and the admin CLI alike. Each decision is audited in the
 * unit of work that makes it.
 */
import { appendAudit, type AuditInput } from './audit';
import type { Core } from './core';
import { HttpError } from './http';
import type { DeviceRow } from './store/repositories';

/** Records a refusal once, and marks the error so the HTTP layer does not record it again. */
async function audited(core: Core, error: unknown, e: AuditInput): Promise<unknown> {
  if (!(error instanceof HttpError)) {
    return error;
  }
  await appendAudit(core.store, { ...e, outcome: 'refused', code: error.code });
  return new HttpError(error.status, error.code, error.message, error.headers, true);
}

/** Who acts, and from where (a peer address, or `cli`). */
export type Actor = { readonly operator: string; readonly source: string };

/**
 * Approves a pending device. Refused when the device is unknown (404), revoked (409 conflict:
 * enrol a new key instead) or when its account already holds `maxDevices` approved devices
 * (409 too_many_devices: revoke one first).
 */
export async function approveDevice(core: Core, by: Actor, account: string, keyId: string): Promise<DeviceRow> {
  const now = core.now();
  const base = { at: now, actor: by.operator, source: by.source, action: 'admin.devices.approve', subject: keyId };
  try {
    return await core.store.transaction(async (tx) => {
      const device = await tx.devices.find(account, keyId);
      const owner = await tx.accounts.find(account);
      if (!device || !owner) {
        throw new HttpError(404, 'not_found', `No device ${keyId} is enrolled for "${account}".`);
      }
      if (device.state === 'approved') {
        return device;
      }
      if (device.state === 'revoked') {
        throw new HttpError(409, 'conflict', `Device ${keyId} was revoked; a revoked key is never approved again.`);
      }
      const approved = await tx.devices.approvedCount(account);
      if (approved >= owner.maxDevices) {
        throw new HttpError(
          409,
          'too_many_devices',
          `"${account}" already holds ${approved} approved device(s) of ${owner.maxDevices}; revoke one first.`,
        );
      }
      await tx.devices.decide(account, keyId, 'approved', now, by.operator);
      await appendAudit(tx, { ...base, detail: { account } });
      return { ...device, state: 'approved', decidedAt: now, decidedBy: by.operator };
    });
  } catch (error) {
    throw await audited(core, error, { ...base, detail: { account } });
  }
}

/**
 * Revokes a device and every checkout made for it: its batches read as revoked to it at its next
 * sync (it erases them), while work it saved before is still accepted when it drains.
 */
export async function revokeDevice(
  core: Core,
  by: Actor,
  account: string,
  keyId: string,
): Promise<{ device: DeviceRow; batches: string[] }> {
  const now = core.now();
  const base = { at: now, actor: by.operator, source: by.source, action: 'admin.devices.revoke', subject: keyId };
  try {
    return await core.store.transaction(async (tx) => {
      const device = await tx.devices.find(account, keyId);
      if (!device) {
        throw new HttpError(404, 'not_found', `No device ${keyId} is enrolled for "${account}".`);
      }
      await tx.devices.decide(account, keyId, 'revoked', now, by.operator);
      const batches = await tx.checkouts.revokeAllOf(account, keyId, now);
      await appendAudit(tx, { ...base, detail: { account, checkoutsRevoked: batches.length } });
      return { device: { ...device, state: 'revoked', decidedAt: now, decidedBy: by.operator }, batches };
    });
  } catch (error) {
    throw await audited(core, error, { ...base, detail: { account } });
  }
}
