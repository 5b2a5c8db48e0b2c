/**
 * Sync with the annotation service, put together from its parts: the session (sign-in, token,
 * device enrolment, the service key: sync/sync-session.ts), the scheduler that runs one cycle at
 * a time and backs off (sync/scheduler.ts, run by sync/sender-loop.ts), the cycle's steps (batch
 * status first so revocations erase within the cycle, then the outbox in order, then timing
 * rows, then purging the audio of fully acknowledged batches: sync/sync-steps.ts), the audit
 * trail (sync/sync-audit.ts) and the status the window shows (sync/sync-status.ts).
 *
 * The sender follows the hub: `work:saved` sends the new work soon; `lock:locked` and
 * `lock:unlocked` go to the audit trail, and the unlock resumes the sender paused while locked.
 */
import type { SessionInfo } from '../../shared/domain/session';
import type { AttentionAction, SignInRequest, SyncStatus } from '../../shared/domain/sync';
import type { BatchListResponse } from '../../shared/sync/messages';
import { ServiceError } from './service-error';
import { classifyFailure } from './sync/cycle-failure';
import { createSenderLoop, type CycleResult, type SyncTimers } from './sync/sender-loop';
import { createSyncAudit } from './sync/sync-audit';
import { handOverBatch } from './sync/hand-over';
import { needsAttentionOf, resolveAttention } from './sync/needs-attention';
import { createSyncHttp, type SyncHttp } from './sync/sync-http';
import { createSessionCalls } from './sync/session-calls';
import { createSyncSession } from './sync/sync-session';
import { recoveryStatus } from './sync/loss-recovery';
import { projectStatus } from './sync/sync-status';
import { syncSteps } from './sync/sync-steps';
import type { SyncDeps } from './sync/sync-deps';
import { timeStatus } from './sync/time-status';
import { withServiceTrust } from './sync/trusted-http';

export type { SyncDeps, SyncTimers };

export const DEFAULT_POLL_MS = 30_000;

/** Work another service adds at the end of each cycle that reached the service; it handles its own failures. */
export type CycleStep = (http: SyncHttp, token: string) => Promise<void>;

const systemTimers: SyncTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createSyncService(d: SyncDeps) {
  const now = (): number => d.clock.now();
  const origin = d.serviceUrl ? new URL(d.serviceUrl).origin : null;
  const http = d.serviceUrl
    ? withServiceTrust(
        createSyncHttp({
          baseUrl: d.serviceUrl,
          ...(d.fetch ? { fetch: d.fetch } : {}),
          now,
          answered: () => loop.dispatch({ type: 'answered' }),
        }),
        d,
      )
    : null;
  const session = createSyncSession({
    http,
    origin,
    vault: d.vault,
    settings: d.settings,
    session: d.session,
    lock: d.lock,
    now,
  });
  const audit = createSyncAudit({ outbox: d.outbox, author: session.author, now });
  const steps: CycleStep[] = [];
  const status = (): SyncStatus => {
    const who = session.author();
    return projectStatus({
      serviceOrigin: origin,
      scheduler: loop.current(),
      session: { author: who, hasToken: session.hasToken(), deviceState: session.deviceState() },
      counts: who
        ? {
            pending: d.outbox.countPending(who),
            needsAttention: needsAttentionOf(d.outbox.parked(who)),
          }
        : { pending: 0, needsAttention: [] },
      lastSyncAt: d.settings.get('sync.lastSyncAt') ?? null,
      recovery: recoveryStatus(d.syncMarks, d.serviceUrl, who),
      time: timeStatus(d),
    });
  };
  /** Pushes the status to the window; not once the services closed (the database may be gone). */
  const changed = (): void => {
    if (loop.current().state.kind !== 'disposed') {
      d.events.emit('sync:changed', status());
    }
  };

  /** One cycle, for the scheduler: it never rejects for a failure it can name. */
  const cycle = async (): Promise<CycleResult> => {
    const who = session.author();
    // Locked: the next key a step needs would be refused. Nothing failed; it resumes at unlock.
    if (d.lock?.isLocked()) {
      return { kind: 'failed', failure: { kind: 'locked' } };
    }
    const t = http && who ? session.validToken() : null;
    if (!http || !who || t === null) {
      return { kind: 'failed', failure: { kind: 'signIn' } };
    }
    try {
      // An approved key is asked about again only when the service took a batch back (revoking a
      // device revokes its checkouts). Once the service answered, "sync now" needs its own cycle.
      const reached = (stage: 'checked' | 'draining'): void => loop.dispatch({ type: 'reached', stage });
      if (session.deviceState() !== 'approved') {
        await session.refreshDeviceState(t).then(() => reached('checked'));
      }
      const seen = { revocation: false };
      const outcome = await syncSteps(
        {
          ...d,
          http,
          now,
          audit: (type, batchId, refOpId) => {
            seen.revocation ||= type === 'batch_erased_revoked';
            audit(type, batchId, refOpId);
          },
          changed,
          reached,
        },
        t,
        who,
      );
      if (seen.revocation) {
        await session.refreshDeviceState(t);
      }
      // With this cycle's token: not once another account signed in (its answer would be kept as theirs).
      for (let i = 0; i < steps.length && session.author() === who; i += 1) {
        await steps[i]?.(http, t);
      }
      d.settings.setUnsynced('sync.lastSyncAt', now());
      return { kind: 'finished', outcome, deviceApproved: session.deviceState() === 'approved' };
    } catch (error) {
      if (d.lock?.isLocked()) {
        return { kind: 'failed', failure: { kind: 'locked' } };
      }
      const { failure, facts } = classifyFailure(error);
      if (failure.kind === 'signIn') {
        // The session ended on the service's side: keep every op, ask for a new sign-in.
        session.forgetToken();
      }
      return { kind: 'failed', failure, facts };
    }
  };

  const loop = createSenderLoop({
    timers: d.timers ?? systemTimers,
    now,
    random: d.backoff?.random ?? Math.random,
    backoff: d.backoff ?? {},
    pollMs: d.pollIntervalMs ?? DEFAULT_POLL_MS,
    cycle,
    changed,
    logger: d.logger,
  });

  /** New work was saved: send it soon, unless the sender is waiting out a failure. */
  const kick = (): void => {
    changed();
    if (session.hasToken()) {
      loop.dispatch({ type: 'run', force: false });
    }
  };

  const unsubscribe = [
    d.events.on('work:saved', kick),
    d.events.on('lock:locked', () => audit('locked')),
    d.events.on('lock:unlocked', () => {
      audit('unlocked');
      kick();
    }),
  ];

  return {
    status,

    /**
     * Signs in with password, one-time code and this device's signature over the service's
     * challenge, enrols this device (approved at once with an enrolment code), and starts a
     * sync cycle. Operator accounts are refused: operators use the admin CLI.
     */
    async signIn(r: SignInRequest): Promise<SessionInfo> {
      const { enrolledNow, trouble } = await session.signIn(r);
      audit('signed_in');
      if (enrolledNow) {
        audit('device_enrolled');
      }
      let reachable = true;
      if (trouble !== undefined) {
        const { failure, facts } = classifyFailure(trouble);
        if (failure.kind === 'signIn') {
          session.forgetToken();
        }
        reachable = failure.kind !== 'unreachable';
        d.logger.warn('sync: a request at sign-in failed', facts);
      }
      loop.dispatch({ type: 'signedIn', reachable });
      changed();
      loop.dispatch({ type: 'run', force: true });
      return d.session.get();
    },

    /** Ends the session here and on the service; unsynced work stays for the next sign-in. */
    async signOut(): Promise<null> {
      audit('signed_out');
      await session.signOut();
      changed();
      return null;
    },

    /** Runs a cycle now, skipping any wait; resolves when it (and any queued one) is done. */
    async syncNow(): Promise<SyncStatus> {
      loop.dispatch({ type: 'run', force: true });
      await loop.settled();
      return status();
    },

    kick,

    /** Settles an op that needs attention: resent on the service's current revision, or discarded. */
    resolve(opId: string, action: AttentionAction): SyncStatus {
      resolveAttention({ outbox: d.outbox, now, author: session.author, audit, kick }, opId, action);
      return status();
    },

    /** Hands a batch over to another workstation: drains, releases it on the service, erases it here. */
    async handOver(batchId: string): Promise<SyncStatus> {
      if (!http) {
        throw new ServiceError('UNAVAILABLE', 'No annotation service is configured on this workstation.');
      }
      const drain = async (): Promise<void> => {
        loop.dispatch({ type: 'run', force: true });
        await loop.settled();
      };
      const token = (): string | undefined => session.validToken() ?? undefined;
      await handOverBatch(
        { http, outbox: d.outbox, vault: d.vault, author: session.author, audit, token, drain },
        batchId,
      );
      await drain(); // sends the hand-over's audit event
      return status();
    },

    /** Starts polling in the background. */
    start(): void {
      if (http) {
        loop.start();
      }
    },

    /** Stops polling; resolves once a running cycle has finished. */
    async stop(): Promise<void> {
      loop.dispatch({ type: 'stop' });
      await loop.settled();
    },

    /** Stops for good (the services are closing); a cycle in flight ends without touching anything. */
    dispose(): void {
      loop.dispatch({ type: 'dispose' });
      unsubscribe.forEach((off) => off());
    },

    ...createSessionCalls(http, session, () => d.lock?.isLocked() ?? false),

    /** Records an audit event for the signed-in reviewer (lock, export). */
    audit,
    /** Pushes the current status to the window (another service changed what it counts). */
    publish: changed,
    /** The signed-in reviewer's pseudonym, or null. */
    author: session.author,
    /**
     * The service's batches for the signed-in reviewer, asked now; null when the service cannot
     * be asked (none configured, no valid token, no answer): the caller then goes by what it holds.
     */
    async listedBatches(): Promise<BatchListResponse['batches'] | null> {
      const t = http && session.author() ? session.validToken() : null;
      if (!http || t === null) {
        return null;
      }
      try {
        return (await http.batches(t)).batches;
      } catch (error) {
        d.logger.warn('sync: the batch list could not be asked', classifyFailure(error).facts);
        return null;
      }
    },
    /** The service's encryption key as learned at sign-in, or null (offline exports need it). */
    serviceKey: session.serviceKey,
    /** Adds work to the end of every cycle that reaches the service. */
    addStep: (step: CycleStep): void => {
      steps.push(step);
    },
  };
}

export type SyncService = ReturnType<typeof createSyncService>;
