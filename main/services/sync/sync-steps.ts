/**
 * One sync cycle's work, in its order: batch status first (so a revocation erases before
 * anything else happens), then the outbox, then timing rows, then purging fully acknowledged
 * batches, then the audit events those steps recorded. Any request failure propagates.
 */
import type { AuditEventType, SignInRequest } from '../../../shared/sync/messages';
import { signInProofMessage, type ServiceDeviceState } from '../../../shared/sync/protocol';
import { rawPublicKey, type DeviceKey } from '../../../core/crypto/device-key';
import { deriveSigningKey, rawSigningPublicKey, signBytes } from '../../../core/crypto/signing-key';
import type { BatchRepository } from '../../db/repositories/batch.repository';
import type { OutboxRepository } from '../../db/repositories/outbox.repository';
import type { SettingsRepository } from '../../db/repositories/settings.repository';
import type { SyncBatchRepository } from '../../db/repositories/sync-batch.repository';
import type { Logger } from '../../log/logger';
import type { VaultService } from '../vault.service';
import { purgeAcknowledged, reconcileBatches } from './batch-sync';
import { drainOutbox, type DrainDeps } from './outbox-sender';
import type { SyncHttp } from './sync-http';
import { newTimeNonce } from './service-time';
import { drainTiming } from './timing-sender';
import type { TimingUploadSource } from './timing-records';

export type StepDeps = {
  readonly http: SyncHttp;
  readonly outbox: OutboxRepository;
  readonly syncBatches: SyncBatchRepository;
  readonly batches: BatchRepository;
  readonly annotations: DrainDeps['annotations'];
  readonly vault: Pick<VaultService, 'revoke' | 'expire' | 'importInBackground' | 'deviceKey'>;
  readonly timing?: TimingUploadSource | undefined;
  readonly logger: Logger;
  readonly now: () => number;
  readonly audit: (type: AuditEventType, batchId?: string | null, refOpId?: string | null) => void;
  /** Status moved (after each request): tell the window. */
  readonly changed: () => void;
};

export async function syncSteps(d: StepDeps, token: string, author: string): Promise<void> {
  await reconcileBatches({ ...d, audit: (type, batchId) => d.audit(type, batchId) }, token);
  d.changed();
  await drainOutbox(
    { ...d, progressed: d.changed, parked: (row) => d.audit('op_needs_attention', row.batchId, row.opId) },
    token,
    author,
  );
  if (d.timing) {
    await drainTiming({ http: d.http, timing: d.timing, deviceKeyId: d.vault.deviceKey().keyId }, token);
  }
  purgeAcknowledged({ ...d, audit: (type, batchId) => d.audit(type, batchId) });
  // Audit events recorded by the steps above (erasures, purges, parked ops) go up now too.
  await drainOutbox(d, token, author);
}

/**
 * Enrols this device's public keys with the service (the service answers with the key's state;
 * enrolling again changes nothing), passing the operator's enrolment code when the reviewer
 * typed one. `enrolledNow` is true the first time for this service and key.
 */
export async function enrolDevice(
  d: {
    readonly http: SyncHttp;
    readonly vault: Pick<VaultService, 'deviceKey'>;
    readonly settings: SettingsRepository;
    readonly origin: string;
  },
  token: string,
  enrolmentCode?: string,
): Promise<{ enrolledNow: boolean; state: ServiceDeviceState }> {
  const device = d.vault.deviceKey();
  const marker = `${d.origin}|${device.keyId}`;
  const answer = await d.http.enrol(token, {
    keyId: device.keyId,
    encryptionKey: rawPublicKey(device.publicKey).toString('base64'),
    signingKey: rawSigningPublicKey(deriveSigningKey(device).publicKey).toString('base64'),
    ...(enrolmentCode !== undefined ? { enrolmentCode } : {}),
  });
  const enrolledNow = d.settings.get('sync.enrolled') !== marker;
  d.settings.set('sync.enrolled', marker);
  return { enrolledNow, state: answer.state };
}

/**
 * The sign-in request for the service: the reviewer's credentials, and a signature by this
 * device's Ed25519 key over the service's challenge, the account and the key id, which proves
 * the session is opened from this workstation and binds it to its key.
 */
export function signedSignIn(
  device: DeviceKey,
  r: { readonly account: string; readonly password: string; readonly totp: string },
  challenge: string,
): SignInRequest {
  const signing = deriveSigningKey(device);
  return {
    account: r.account,
    password: r.password,
    totp: r.totp,
    challenge,
    device: { keyId: device.keyId, signingKey: rawSigningPublicKey(signing.publicKey).toString('base64') },
    signature: signBytes(signing, Buffer.from(signInProofMessage(challenge, r.account, device.keyId), 'utf8')).toString(
      'base64',
    ),
    nonce: newTimeNonce(),
  };
}
