/** Device enrolment and the service's own public key. */
import { createPublicKey } from 'node:crypto';
import { keyIdOf, rawPublicKey } from '../../core/crypto/device-key';
import { enrolRequestSchema, type EnrolResponse, type ServiceKeyResponse } from '../../shared/sync/messages';
import { paths } from '../../shared/sync/protocol';
import { HttpError, parseJson } from '../http';
import { callerOf, type Route } from './route';

/** Checks that a raw 32-byte key is a usable public key of `crv`. */
function checkRawKey(raw: Buffer, crv: 'X25519' | 'Ed25519', field: string): void {
  try {
    createPublicKey({ key: { kty: 'OKP', crv, x: raw.toString('base64url') }, format: 'jwk' });
  } catch {
    throw new HttpError(400, 'bad_request', `${field}: not an ${crv} public key.`);
  }
}

export const enrol: Route = {
  method: 'POST',
  path: paths.devices,
  auth: true,
  async handle(ctx) {
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
    const account = callerOf(ctx).account.account;
    // Checked and enrolled in one unit of work, so two enrolments of one key cannot both pass the check.
    const { existing, stored } = await ctx.core.store.transaction(async (tx) => {
      const found = await tx.devices.find(account, keyId);
      if (found && !found.signingKey.equals(signingKey)) {
        throw new HttpError(409, 'conflict', 'This device key is enrolled with another signing key.');
      }
      return {
        existing: found,
        stored: await tx.devices.enrol(account, { keyId, encryptionKey, signingKey, enrolledAt: ctx.core.now() }),
      };
    });
    const response: EnrolResponse = { keyId: stored.keyId, enrolledAt: stored.enrolledAt };
    return { status: existing ? 200 : 201, json: response };
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
