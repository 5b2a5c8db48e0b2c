/**
 * What the status indicator shows, projected from the scheduler, the session and the outbox's
 * counts. Pure: the sync service reads the inputs and calls it whenever the status may have moved.
 */
import type {
  DeviceState,
  NeedsAttention,
  SyncConnection,
  SyncRecovery,
  SyncStatus,
} from '../../../shared/domain/sync';
import { nextAttemptAt, type Scheduler } from './scheduler';

export type StatusInputs = {
  /** The service's origin; null when none is configured (demo mode). */
  readonly serviceOrigin: string | null;
  readonly scheduler: Scheduler;
  readonly session: {
    /** The signed-in reviewer's pseudonym, or null. */
    readonly author: string | null;
    /** A session token is held (not known to have expired). */
    readonly hasToken: boolean;
    readonly deviceState: DeviceState;
  };
  /** The signed-in reviewer's outbox; zero and empty when nobody is signed in. */
  readonly counts: { readonly pending: number; readonly needsAttention: readonly NeedsAttention[] };
  readonly lastSyncAt: number | null;
  /** The last loss found on the service for this reviewer, and its repair. */
  readonly recovery: SyncRecovery;
  /** Service time and key as this workstation trusts them (time-status.ts). */
  readonly time: Pick<SyncStatus, 'clockSkewMs' | 'serviceKey'>;
};

function connectionOf(i: StatusInputs): SyncConnection {
  if (i.serviceOrigin === null) {
    return 'unconfigured';
  }
  if (i.session.author === null) {
    return 'signedOut';
  }
  if (!i.session.hasToken) {
    return 'signInRequired';
  }
  return i.scheduler.reachable ? 'online' : 'offline';
}

/** The status the window shows for these inputs. */
export function projectStatus(i: StatusInputs): SyncStatus {
  const signedIn = i.session.author !== null;
  return {
    configured: i.serviceOrigin !== null,
    serviceOrigin: i.serviceOrigin,
    connection: connectionOf(i),
    pending: signedIn ? i.counts.pending : 0,
    needsAttention: signedIn ? i.counts.needsAttention : [],
    lastSyncAt: i.lastSyncAt,
    nextAttemptAt: nextAttemptAt(i.scheduler),
    deviceState: i.session.deviceState,
    recovery: i.recovery,
    ...i.time,
  };
}
