/** Device enrolment and the service's own public key. */
import { createPublicKey } from 'node:crypto';
import { keyIdOf, rawPublicKey } from '../../core/crypto/device-key';
import {
  enrolRequestSchema,
  type DeviceStateResponse,
  type EnrolResponse,
  type ServiceKeyResponse,
} from '../../shared/sync/messages';
import { enrolmentCodeLimits, MAX_PENDING_DEVICES, paths } from '../../shared/sync/protocol';
import { appendAudit } from '../audit';
import { enrolmentCodeHash } from '../auth';
import type { Caller } from '../core';
import { HttpError, parseJson } from '../http';
import { callerOf, type Route, type RouteContext } from './route';

/** Who the audit trail and the device row name as approver when an enrolment code did it. */
export const ENROLMENT_CODE_APPROVER = 'enrolment-code';

/** Checks that a raw 32-byte key is a usable public key of `crv`. */
function checkRawKey(raw: Buffer, crv: 'X25519' | 'Ed25519', field: string): void {
  try {
    createPublicKey({ key: { kty: 'OKP', crv, x: raw.toString('base64url') }, format: 'jwk' });
  } catch {
    throw new HttpError(400, 'bad_request', `${field}: not an ${crv} public key.`);
  }
}

/** Only reviewers and supervisors hold devices; operators work from the service host. */
export function requireStaff(ctx: RouteContext): Caller {
  const caller = callerOf(ctx);
  if (caller.account.role === 'operator') {
    throw new HttpError(403, 'forbidden', 'Operator accounts hold no devices; use the admin CLI.');
  }
  return caller;
}

/** The key a request names must be the one the session signed in with. */
export function requireSessionDevice(caller: Caller, keyId: string, signingKey?: Buffer): void {
  if (keyId !== caller.session.keyId || (signingKey && !signingKey.equals(caller.session.signingKey))) {
    throw new HttpError(403, 'device_mismatch', 'This session belongs to another device key; sign in on that device.');
  }
}

/** Counts an enrolment-code attempt before the code is checked; refuses once the account has used up its attempts. */
async function admitCodeAttempt(ctx: RouteContext, account: string): Promise<void> {
  const now = ctx.core.now();
  const admitted = await ctx.core.store.transaction(async (tx) => {
    const used = await tx.enrolmentCodes.attemptsSince(account, now - enrolmentCodeLimits.windowMs);
    if (used >= enrolmentCodeLimits.attempts) {
      return false;
    }
    await tx.enrolmentCodes.recordAttempt(account, now);
    return true;
  });
  if (!admitted) {
    throw new HttpError(429, 'rate_limited', 'Too many enrolment codes tried; try again later.', {
      'retry-after': String(Math.ceil(enrolmentCodeLimits.windowMs / 1000)),
    });
  }
}

export const enrol: Route = {
  method: 'POST',
  path: paths.devices,
  auth: true,
  audit: 'device.enrol',
  async handle(ctx) {
    const caller = requireStaff(ctx);
    const request = parseJson(ctx.body, enrolRequestSchema);
    const encryptionKey = Buffer.from(request.encryptionKey, 'base64');
    const signingKey = Buffer.from(request.signingKey, 'base64');
    checkRawKey(encryptionKey, 'X25519', 'encryptionKey');
    checkRawKey(signingKey, 'Ed25519', 'signingKey');
    const keyId = keyIdOf(
      createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: encryptionKey.toString('base64url') }, format: 'jwk' }),
    );
    if (keyId !== request.keyId) {
      throw new HttpError(400, 'bad_request', 'keyId: does not match the encryption key.');
    }
    requireSessionDevice(caller, keyId, signingKey);
    const account = caller.account.account;
    const now = ctx.core.now();
    const known = await ctx.core.store.devices.find(account, keyId);
    // A code is spent only on a device that still needs it.
    const code = request.enrolmentCode !== undefined && known?.state !== 'approved' ? request.enrolmentCode : undefined;
    if (code !== undefined) {
      await admitCodeAttempt(ctx, account);
    }
    const audit = { at: now, actor: account, source: ctx.source, subject: keyId } as const;
    // Checked, enrolled and approved in one unit of work: two enrolments racing cannot both pass a check.
    const { existing, stored } = await ctx.core.store.transaction(async (tx) => {
      const found = await tx.devices.find(account, keyId);
      if (found && !found.signingKey.equals(signingKey)) {
        throw new HttpError(409, 'conflict', 'This device key is enrolled with another signing key.');
      }
      // Without a code a new device waits for an operator, and the operator's list of devices to
      // approve stays one they can read: each account has a few there at most.
      if (!found && code === undefined && (await tx.devices.pendingCount(account)) >= MAX_PENDING_DEVICES) {
        throw new HttpError(
          409,
          'too_many_devices',
          `This account has ${MAX_PENDING_DEVICES} devices waiting for approval; ask an operator to approve or revoke one.`,
        );
      }
      let device = await tx.devices.enrol(account, { keyId, encryptionKey, signingKey, enrolledAt: now });
      if (!found) {
        await appendAudit(tx, { ...audit, action: 'device.enrol', detail: { state: device.state } });
      }
      if (code !== undefined && device.state === 'pending') {
        if (!(await tx.enrolmentCodes.redeem(enrolmentCodeHash(code), account, now, keyId))) {
          throw new HttpError(
            403,
            'enrolment_code_invalid',
            'The enrolment code is wrong, used, expired or not for this account.',
          );
        }
        const owner = await tx.accounts.find(account);
        const approved = await tx.devices.approvedCount(account);
        if (!owner || approved >= owner.maxDevices) {
          throw new HttpError(
            409,
            'too_many_devices',
            'This account holds all the devices it may; ask an operator to revoke one.',
          );
        }
        await tx.devices.decide(account, keyId, 'approved', now, ENROLMENT_CODE_APPROVER);
        device = { ...device, state: 'approved', decidedAt: now, decidedBy: ENROLMENT_CODE_APPROVER };
        await appendAudit(tx, { ...audit, action: 'device.approve', detail: { by: ENROLMENT_CODE_APPROVER } });
      }
      return { existing: found, stored: device };
    });
    const response: EnrolResponse = { keyId: stored.keyId, enrolledAt: stored.enrolledAt, state: stored.state };
    return { status: existing ? 200 : 201, json: response };
  },
};

/** Where the session's device stands: pending, approved, revoked, or not enrolled at all. */
export const currentDevice: Route = {
  method: 'GET',
  path: paths.currentDevice,
  auth: true,
  async handle(ctx) {
    const caller = callerOf(ctx);
    const device = await ctx.core.store.devices.find(caller.account.account, caller.session.keyId);
    const response: DeviceStateResponse = { keyId: caller.session.keyId, state: device?.state ?? 'unregistered' };
    return { status: 200, json: response };
  },
};

export const serviceKey: Route = {
  method: 'GET',
  path: paths.serviceKey,
  auth: false,
  async handle({ core }) {
    const key = await core.serviceKey();
    const response: ServiceKeyResponse = {
      keyId: key.keyId,
      encryptionKey: rawPublicKey(key.publicKey).toString('base64'),
    };
    return { status: 200, json: response };
  },
};
