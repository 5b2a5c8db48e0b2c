import type { AppError } from '../result';
import type { opResultCodes } from '../sync/protocol';

/**
 * Where the workstation stands with the annotation service, as the status indicator shows it.
 * Counts and ids only: nothing here is clip content.
 */

/**
 * `unconfigured`: no service (demo mode). `signedOut`: nobody signed in to the service.
 * `signInRequired`: the session expired or was ended by the service; work is kept and waits.
 * `online`: the last exchange succeeded. `offline`: the service could not be reached; the
 * sender retries with backoff.
 */
export const syncConnections = ['unconfigured', 'signedOut', 'signInRequired', 'online', 'offline'] as const;
export type SyncConnection = (typeof syncConnections)[number];

/** Why an op was set aside rather than delivered. */
export const parkReasons = ['conflict', 'rejected'] as const;
export type ParkReason = (typeof parkReasons)[number];

/**
 * Why exactly: the service's per-op code, or `rejected` for a refusal without one (rows parked
 * by older versions) and `work_missing` when the saved work the op names is gone here.
 */
export type ParkCode = Exclude<(typeof opResultCodes)[number], 'stored' | 'duplicate'> | 'rejected' | 'work_missing';

/** How the reviewer settles an op that needs attention. */
export const attentionActions = ['resend', 'discard'] as const;
export type AttentionAction = (typeof attentionActions)[number];

/** An op the service would not take as it is: kept, shown to the reviewer, never resent on its own. */
export type NeedsAttention = {
  readonly opId: string;
  readonly kind: 'annotation' | 'escalation' | 'audit';
  readonly batchId: string | null;
  readonly clipId: string | null;
  /** The annotation revision, for annotations. */
  readonly revision: number | null;
  readonly reason: ParkReason;
  readonly code: ParkCode;
  /** For an annotation refused for its base: the clip's current revision on the service. */
  readonly currentRevision: number | null;
  /** Whether it can be resent as a new revision on the service's current one. */
  readonly canResend: boolean;
  readonly parkedAt: number;
};

/**
 * Where this workstation's device key stands with the service. `unregistered`: not enrolled yet
 * (or no service). `pending`: enrolled, waiting for an operator's approval. `approved`: the
 * service makes packages for it. `revoked`: an operator withdrew it; its checkouts are revoked.
 */
export const deviceStates = ['unregistered', 'pending', 'approved', 'revoked'] as const;
export type DeviceState = (typeof deviceStates)[number];

/**
 * Whether the service was found to have lost ops it had acknowledged (a backup restored, a
 * restore notice). `none`: never, or every check found nothing missing. `recovering`: found, and
 * what this workstation still holds is being sent again. `recovered`: the last such loss is
 * repaired as far as it can be.
 */
export const recoveryStates = ['none', 'recovering', 'recovered'] as const;
export type RecoveryState = (typeof recoveryStates)[number];

export type SyncRecovery = {
  readonly state: RecoveryState;
  /** Ops the service had lost that were sent again and stored. */
  readonly resent: number;
  /** Ops the service had lost that this workstation no longer holds (erased, or past keeping). */
  readonly unrecoverable: number;
  /** When the loss was found (recovering) or repaired (recovered); null for `none`. */
  readonly at: number | null;
};

export type SyncStatus = {
  /** True when an annotation service is configured (policy or development setting). */
  readonly configured: boolean;
  /** The service's origin (scheme, host, port), for display; null when unconfigured. */
  readonly serviceOrigin: string | null;
  readonly connection: SyncConnection;
  /** Saved work not yet acknowledged by the service. */
  readonly pending: number;
  readonly needsAttention: readonly NeedsAttention[];
  /** When a sync cycle last completed with the service; null before the first. */
  readonly lastSyncAt: number | null;
  /** When the sender tries again after a failure; null when it is not waiting. */
  readonly nextAttemptAt: number | null;
  /** This workstation's device key as the service last reported it. */
  readonly deviceState: DeviceState;
  /** Whether the service lost acknowledged work, and what was done about it. */
  readonly recovery: SyncRecovery;
  /**
   * How far this workstation's clock is from the service's signed time (positive: ahead), when
   * that is more than the policy allows (`maxClockSkewSeconds`); null otherwise or before the
   * service was heard. Service time is used meanwhile: the local clock decides nothing.
   */
  readonly clockSkewMs: number | null;
  /** The key the service signs with, as this workstation trusts it; null before the first sign-in. */
  readonly serviceKey: ServiceKeyInfo | null;
};

/** The service's signing key, for display. */
export type ServiceKeyInfo = {
  /** SHA-256 of the raw public key, hex. */
  readonly fingerprint: string;
  /** True when the admin policy pins it; false when it was taken on first use. */
  readonly pinned: boolean;
  /** The fingerprint of another key the service presented and this workstation refused. */
  readonly refused: string | null;
};

/**
 * What the sign-in screen sends: the account, its password and a current one-time code, and
 * optionally the enrolment code an operator issued for this workstation (it approves the
 * workstation's key at once; without one the key waits for an operator).
 */
export type SignInRequest = {
  readonly account: string;
  readonly password: string;
  readonly totp: string;
  readonly enrolmentCode?: string | undefined;
};

/** A package a folder import refused: `reason` in English for the log, `error` for the screen. */
export type RefusedPackage = { readonly file: string; readonly reason: string; readonly error: AppError };

/** What importing a folder of batch packages did, package by package. */
export type FolderImportReport = {
  readonly imported: readonly string[];
  readonly refused: readonly RefusedPackage[];
};

/** What a results package holds: ops and timing records. */
export type ResultsExportReport = { readonly ops: number; readonly timing: number };
