/**
 * The load run's reviewers, made in the service's store before the service starts (or beside a
 * running one): an account each with its own TOTP secret, a device key enrolled and approved by
 * an operator, as `npm run service -- admin devices approve` would, and one batch of tiny clips.
 * Account names carry a fresh run id, so one store can take several runs.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { newId } from '../../shared/batch-package/pseudonymous-ids';
import type { ClipDetails } from '../../shared/batch-package/manifest';
import { generateDeviceKey, rawPublicKey, type DeviceKey } from '../../core/crypto/device-key';
import { deriveSigningKey, rawSigningPublicKey } from '../../core/crypto/signing-key';
import { hashPassword, newTotpSecret } from '../../service/auth';
import { CLI_SOURCE } from '../../service/audit';
import { createCore, type Core } from '../../service/core';
import { approveDevice } from '../../service/devices';
import { addBatch } from '../../service/seed';
import type { ServiceStore } from '../../service/store/repositories';
import { chooseStore, openChosenStore } from '../../service/store/open-service-store';
import { silenceWav } from '../../test/support/packages';

/** The audio of every clip: 20 ms of 8 kHz 16-bit silence, 364 bytes as a WAV. */
export const CLIP_AUDIO_MS = 20;

/** Who the audit trail names for the approvals made here. */
const OPERATOR = 'load-test';

export type LoadReviewer = {
  readonly account: string;
  readonly password: string;
  readonly totpSecret: string;
  readonly pseudonym: string;
  readonly device: DeviceKey;
  readonly batchId: string;
  readonly clipIds: readonly string[];
};

/** Where the store is: a data folder (SQLite), or a database the service is given with `--database`. */
export type StoreTarget = { readonly dataDir: string; readonly databaseUrl?: string | undefined };

/** Opens the store the service will run on. */
export function openTargetStore(target: StoreTarget): Promise<ServiceStore> {
  // The same choice the service makes: --database (PostgreSQL) or the SQLite file in the data folder.
  return openChosenStore(chooseStore({ database: target.databaseUrl, env: {}, dataDir: resolve(target.dataDir) }));
}

const idBytes = (n: number): Uint8Array => randomBytes(n);

async function addReviewer(
  core: Core,
  r: { account: string; passwordHash: string; clips: number },
): Promise<Omit<LoadReviewer, 'password'>> {
  const totpSecret = newTotpSecret();
  const pseudonym = `rv-${r.account}`;
  await core.store.accounts.add({
    account: r.account,
    pseudonym,
    passwordHash: r.passwordHash,
    totpSecret,
    role: 'reviewer',
  });
  const device = generateDeviceKey();
  await core.store.devices.enrol(r.account, {
    keyId: device.keyId,
    encryptionKey: rawPublicKey(device.publicKey),
    signingKey: rawSigningPublicKey(deriveSigningKey(device).publicKey),
    enrolledAt: core.now(),
  });
  await approveDevice(core, { operator: OPERATOR, source: CLI_SOURCE }, r.account, device.keyId);
  const batchId = newId('batch', idBytes);
  const audio = silenceWav(CLIP_AUDIO_MS);
  const clipIds = Array.from({ length: r.clips }, () => newId('clip', idBytes));
  await addBatch(core, {
    batchId,
    assignedTo: r.account,
    clips: clipIds.map((id, i) => {
      const details: ClipDetails = {
        id,
        durationMs: CLIP_AUDIO_MS,
        codec: 'wav',
        asrText: `turn on the lights in room ${i}`,
        consent: 'granted',
      };
      return { details, audio };
    }),
  });
  return { account: r.account, totpSecret, pseudonym, device, batchId, clipIds };
}

/**
 * Makes `count` reviewers with `clips` clips each in the store of `target`. One password serves
 * every account and is hashed once: the service still checks it with scrypt at each sign-in.
 */
export async function prepareReviewers(target: StoreTarget, count: number, clips: number): Promise<LoadReviewer[]> {
  const core = createCore({ store: await openTargetStore(target) });
  try {
    const run = randomBytes(3).toString('hex');
    const password = randomBytes(18).toString('base64url');
    const passwordHash = await hashPassword(password);
    const reviewers: LoadReviewer[] = [];
    for (let i = 1; i <= count; i += 1) {
      const account = `load-${run}-${String(i).padStart(4, '0')}`;
      reviewers.push({ ...(await addReviewer(core, { account, passwordHash, clips })), password });
    }
    return reviewers;
  } finally {
    await core.store.close();
  }
}
