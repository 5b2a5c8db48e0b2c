/**
 * One sync cycle's work, in its order: batch status first (so a revocation erases before
 * anything else happens), then whether the service lost acknowledged ops (and if so, resending
 * them before anything newer, which may build on them), then the outbox, then timing rows, then
 * purging fully acknowledged batches, then the audit events those steps recorded. Any request
 * failure propagates.
 */
import type { AuditEventType, EnrolRequest, SignInRequest } from '../../../shared/sync/messages';
import { signInProofMessage, type ServiceDeviceState } from '../../../shared/sync/protocol';
import { rawPublicKey, type DeviceKey } from '../../../core/crypto/device-key';
import { deriveSigningKey, rawSigningPublicKey, signBytes } from '../../../core/crypto/signing-key';
import type { BatchRepository } from '../../db/repositories/batch.repository';
import type { OutboxRepository } from '../../db/repositories/outbox.repository';
import type { SettingsRepository } from '../../db/repositories/settings.repository';
import type { SyncBatchRepository } from '../../db/repositories/sync-batch.repository';
import type { SyncMarkRepository } from '../../db/repositories/sync-mark.repository';
import type { Logger } from '../../log/logger';
import type { ConsentService } from '../consent.service';
import type { VaultService } from '../vault.service';
import { purgeAcknowledged, reconcileBatches, type BatchSyncDeps } from './batch-sync';
import { checkForLoss, countAcknowledged, lossScope, resendAcknowledged, settleRecovery } from './loss-recovery';
import { drainOutbox, type DrainDeps } from './outbox-sender';
import type { CycleOutcome, CycleStage } from './scheduler';
import type { SealedMarks } from './sealed-marks';
import type { SyncHttp } from './sync-http';
import { newTimeNonce } from './service-time';
import { drainTiming } from './timing-sender';
import type { TimingUploadSource } from './timing-records';

export type StepDeps = {
  readonly http: SyncHttp;
  readonly outbox: OutboxRepository;
  readonly syncBatches: SyncBatchRepository;
  readonly syncMarks: SyncMarkRepository;
  readonly sealedMarks?: SealedMarks | undefined;
  /** The service's base URL: acknowledgements are counted per service. */
  readonly serviceUrl: string | null;
  readonly batches: BatchRepository;
  readonly expiries?: BatchSyncDeps['expiries'];
  readonly annotations: DrainDeps['annotations'];
  readonly vault: Pick<VaultService, 'revoke' | 'expire' | 'importInBackground' | 'deviceKey' | 'packageExpiry'>;
  readonly timing?: TimingUploadSource | undefined;
  readonly consent?: Pick<ConsentService, 'eraseWithdrawn'> | undefined;
  readonly logger: Logger;
  readonly now: () => number;
  readonly audit: (type: AuditEventType, batchId?: string | null, refOpId?: string | null) => void;
  /** Status moved (after each request): tell the window. */
  readonly changed: () => void;
  /**
   * The batch status came in (`checked`: a forced ask from here on needs another cycle), or the
   * outbox is about to be read and sent (`draining`: so does work saved from here on).
   */
  readonly reached?: (stage: Exclude<CycleStage, 'starting'>) => void;
  /** How long a finished batch keeps its audio after its last submit or visit. */
  readonly purgeGraceMs?: () => number;
};

/**
 * Runs the steps in order. Resolves with how the cycle ended: `done`, or `serviceBehind` when the
 * service held less than it had acknowledged. The cycle has then already resent what this
 * workstation keeps (see loss-recovery.ts); the scheduler runs one more cycle at once, which
 * checks the service's figures again.
 */
export async function syncSteps(d: StepDeps, token: string, author: string): Promise<CycleOutcome> {
  // The list carries this device's op figures too, for the loss check below.
  const listed = await d.http.batches(token);
  d.reached?.('checked');
  await reconcileBatches({ ...d, author, audit: (type, batchId) => d.audit(type, batchId) }, token, listed.batches);
  d.changed();
  const scope = lossScope(d.serviceUrl ?? '', author);
  const counting = {
    ...d,
    acknowledged: (acked: Parameters<typeof countAcknowledged>[2]) => countAcknowledged(d.syncMarks, scope, acked),
  };
  const sealed = d.sealedMarks?.check(scope);
  const loss = checkForLoss(counting, listed.deviceOps, scope, sealed?.state === 'refused');
  const resend = loss.behind ? await resendAcknowledged(counting, token, author) : null;
  d.reached?.('draining');
  await drainOutbox(
    {
      ...counting,
      progressed: d.changed,
      // A refused audit event is not audited in turn: the service would refuse that one for the
      // same reason, and each refusal would record the next.
      parked: (row) => (row.kind === 'audit' ? undefined : d.audit('op_needs_attention', row.batchId, row.opId)),
    },
    token,
    author,
  );
  const recovery = resend ? await settleRecovery(counting, token, scope, resend) : null;
  // Sealed once the marks have settled for this cycle, and outside any transaction.
  d.sealedMarks?.seal(scope);
  if (d.timing) {
    await drainTiming(
      { http: d.http, timing: d.timing, deviceKeyId: d.vault.deviceKey().keyId, logger: d.logger },
      token,
      author,
    );
  }
  purgeAcknowledged({ ...d, author, audit: (type, batchId) => d.audit(type, batchId) });
  // Audit events recorded by the steps above (erasures, purges, parked ops, losses) go up now too.
  await drainOutbox(counting, token, author);
  return loss.behind ? { kind: 'serviceBehind', missing: recovery?.resent ?? 0 } : { kind: 'done' };
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
  const answer = await d.http.enrol(token, deviceEnrolment(device, enrolmentCode));
  const enrolledNow = d.settings.get('sync.enrolled') !== marker;
  d.settings.set('sync.enrolled', marker);
  return { enrolledNow, state: answer.state };
}

/**
 * The enrolment request for a device key: its id and both public keys (X25519 for packages
 * wrapped to it, Ed25519 for what it signs), with the operator's enrolment code when given.
 */
export function deviceEnrolment(device: DeviceKey, enrolmentCode?: string): EnrolRequest {
  return {
    keyId: device.keyId,
    encryptionKey: rawPublicKey(device.publicKey).toString('base64'),
    signingKey: rawSigningPublicKey(deriveSigningKey(device).publicKey).toString('base64'),
    ...(enrolmentCode !== undefined ? { enrolmentCode } : {}),
  };
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
