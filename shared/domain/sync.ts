import type { AppError } from '../result';

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

/** An op the service would not take as it is: kept, shown to the reviewer, never resent on its own. */
export type NeedsAttention = {
  readonly opId: string;
  readonly kind: 'annotation' | 'escalation' | 'audit';
  readonly batchId: string | null;
  readonly clipId: string | null;
  /** The annotation revision, for annotations. */
  readonly revision: number | null;
  readonly reason: ParkReason;
  readonly parkedAt: number;
};

/**
 * Where this workstation's device key stands with the service. `unregistered`: not enrolled yet
 * (or no service). `pending`: enrolled, waiting for an operator's approval. `approved`: the
 * service makes packages for it. `revoked`: an operator withdrew it; its checkouts are revoked.
 */
export const deviceStates = ['unregistered', 'pending', 'approved', 'revoked'] as const;
export type DeviceState = (typeof deviceStates)[number];

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
