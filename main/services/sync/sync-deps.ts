/** What the sync service is built from (sync.service.ts). */
import type { BatchRepository } from '../../db/repositories/batch.repository';
import type { SyncBatchRepository } from '../../db/repositories/sync-batch.repository';
import type { AnnotationService } from '../annotation.service';
import type { EventHub } from '../event-hub';
import type { LockService } from '../lock.service';
import type { SessionService } from '../session.service';
import type { BackoffOptions } from './backoff';
import type { ServiceTrust } from './service-trust';
import type { TimingUploadSource } from './timing-records';
import type { ConsentService } from '../consent.service';
import type { TrustedClock } from '../trusted-clock';
import type { VaultService } from '../vault.service';
import type { SealedExpiries } from '../sealed-expiries';
import type { OutboxRepository } from '../../db/repositories/outbox.repository';
import type { SettingsRepository } from '../../db/repositories/settings.repository';
import type { SyncMarkRepository } from '../../db/repositories/sync-mark.repository';
import type { Logger } from '../../log/logger';
import type { SealedMarks } from './sealed-marks';
import type { SyncTimers } from './sender-loop';

export type SyncDeps = {
  /** The annotation service's base URL; null runs without one (demo mode). */
  readonly serviceUrl: string | null;
  readonly outbox: OutboxRepository;
  readonly syncBatches: SyncBatchRepository;
  readonly syncMarks: SyncMarkRepository;
  /** The marks' sealed copy, which rows put back from an older copy cannot undercut. */
  readonly sealedMarks?: SealedMarks | undefined;
  readonly batches: BatchRepository;
  /** Expiries brought forward, kept sealed beside the batch rows. */
  readonly expiries?: Pick<SealedExpiries, 'bringForward'> | undefined;
  readonly settings: SettingsRepository;
  readonly annotations: Pick<AnnotationService, 'revisionByOpId' | 'revisionsByOpIds' | 'escalationById'>;
  readonly vault: Pick<
    VaultService,
    'revoke' | 'expire' | 'importInBackground' | 'deviceKey' | 'forgetKeys' | 'packageExpiry'
  >;
  readonly session: SessionService;
  readonly clock: TrustedClock;
  /** The service's signing key: every signed answer is checked against it. */
  readonly trust: ServiceTrust;
  /** Pushes `sync:changed`; brings `work:saved`, `lock:locked` and `lock:unlocked`. */
  readonly events: Pick<EventHub, 'emit' | 'on'>;
  readonly logger: Logger;
  readonly dataDir: string;
  /** Timing and shift rows to upload, when the timing service exists. */
  readonly timing?: TimingUploadSource | undefined;
  /** Erases clips whose consent was withdrawn, as the batch status names them. */
  readonly consent?: Pick<ConsentService, 'eraseWithdrawn'> | undefined;
  readonly fetch?: typeof fetch;
  readonly timers?: SyncTimers;
  readonly backoff?: BackoffOptions;
  /** How often a healthy sender polls batch status. */
  readonly pollIntervalMs?: number;
  /**
   * Keeps a verifier of the sign-in password so it unlocks the app offline, and forgets the
   * unlock secrets at sign-out. While the app is locked no key may be loaded, so the sender
   * pauses; the lock kicks it again at unlock.
   */
  readonly lock?: Pick<LockService, 'rememberPassword' | 'forgetSecrets' | 'isLocked'> | undefined;
  /** How long a finished batch keeps its audio after its last submit or visit (read each cycle). */
  readonly purgeGraceMs?: () => number;
};
