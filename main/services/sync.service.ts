/* eslint-disable max-lines -- one closure holds the sign-in, the sender and its backoff, which
   share their state; allowed until the sync engine is split (scheduler, sign-in, offline station). */
/**
 * Sync with the annotation service: sign-in (password + TOTP), device enrolment, and a
 * background sender that runs one cycle at a time — batch status first (revocations erase
 * within the cycle), then the outbox in order, then timing rows, then purging the audio of
 * fully acknowledged batches. Failures back off exponentially with jitter; a 429 waits for its
 * Retry-After; an expired session asks the reviewer to sign in again and keeps every op.
 *
 * The session token lives in memory only: after a restart the reviewer signs in again, and
 * their saved work waits in the outbox meanwhile.
 *
 * The sender follows the hub: `work:saved` sends the new work soon; `lock:locked` and
 * `lock:unlocked` go to the audit trail, and the unlock resumes the sender paused while locked.
 */
import { randomUUID } from 'node:crypto';
import type { SessionInfo } from '../../shared/domain/session';
import type { DeviceState, SignInRequest, SyncStatus } from '../../shared/domain/sync';
import type { AuditEventType } from '../../shared/sync/messages';
import type { BatchRepository } from '../db/repositories/batch.repository';
import type { OutboxRepository } from '../db/repositories/outbox.repository';
import type { SettingsRepository } from '../db/repositories/settings.repository';
import type { SyncBatchRepository } from '../db/repositories/sync-batch.repository';
import type { Logger } from '../log/logger';
import type { AnnotationService } from './annotation.service';
import type { EventHub } from './event-hub';
import type { LockService } from './lock.service';
import { ServiceError } from './service-error';
import type { SessionService } from './session.service';
import { createBackoff, type BackoffOptions } from './sync/backoff';
import { enrolDevice, signedSignIn, syncSteps } from './sync/sync-steps';
import { createOfflineStation, type SyncDialogs } from './sync/offline';
import { enrolmentRefused, signInError } from './sync/sign-in-error';
import { createSyncHttp, SyncHttpError } from './sync/sync-http';
import type { ServiceTrust } from './sync/service-trust';
import { timeStatus } from './sync/time-status';
import { withServiceTrust } from './sync/trusted-http';
import type { TimingUploadSource } from './sync/timing-records';
import type { TrustedClock } from './trusted-clock';
import type { VaultService } from './vault.service';

/** How the sender waits; tests pass timers that record the delay and fire at once. */
export type SyncTimers = {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export type SyncDeps = {
  /** The annotation service's base URL; null runs without one (demo mode). */
  readonly serviceUrl: string | null;
  readonly outbox: OutboxRepository;
  readonly syncBatches: SyncBatchRepository;
  readonly batches: BatchRepository;
  readonly settings: SettingsRepository;
  readonly annotations: Pick<AnnotationService, 'revisionByOpId' | 'escalationById'>;
  readonly vault: Pick<VaultService, 'revoke' | 'expire' | 'importInBackground' | 'deviceKey' | 'forgetKeys'>;
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
  readonly fetch?: typeof fetch;
  readonly timers?: SyncTimers;
  readonly backoff?: BackoffOptions;
  /** How often a healthy sender polls batch status. */
  readonly pollIntervalMs?: number;
  /** Native folder and file choosers; absent where there is no window (tests, the browser harness). */
  readonly dialogs?: SyncDialogs | undefined;
  /**
   * Keeps a verifier of the sign-in password so it unlocks the app offline, and forgets the
   * unlock secrets at sign-out. While the app is locked no key may be loaded, so the sender
   * pauses; the lock kicks it again at unlock.
   */
  readonly lock?: Pick<LockService, 'rememberPassword' | 'forgetSecrets' | 'isLocked'> | undefined;
};

export const SERVICE_KEY = 'sync.serviceKey';
export const DEFAULT_POLL_MS = 30_000;

const systemTimers: SyncTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The scheme, host and port of a URL, for display. */
const originOf = (url: string): string => new URL(url).origin;

export function createSyncService(d: SyncDeps) {
  const http = d.serviceUrl
    ? withServiceTrust(
        createSyncHttp({ baseUrl: d.serviceUrl, ...(d.fetch ? { fetch: d.fetch } : {}), now: () => d.clock.now() }),
        d,
      )
    : null;
  const timers = d.timers ?? systemTimers;
  const backoff = createBackoff(d.backoff);
  const pollMs = d.pollIntervalMs ?? DEFAULT_POLL_MS;
  let token: { value: string; expiresAt: number } | undefined;
  // What the service last said about this workstation's key; not kept across restarts.
  let deviceState: DeviceState = 'unregistered';
  let reachable = true;
  let nextAttemptAt: number | null = null;
  let timer: unknown;
  let running: Promise<void> | undefined;
  let again = false;
  let started = false;
  // Set when the services close: a cycle still awaiting the network must not touch the database.
  let disposed = false;

  const author = (): string | null => {
    const s = d.session.get();
    return s.mode === 'service' ? s.identity.pseudonym : null;
  };
  const lastSyncAt = (): number | null => {
    return d.settings.get('sync.lastSyncAt') ?? null;
  };

  const status = (): SyncStatus => {
    const who = author();
    const connection = !http
      ? 'unconfigured'
      : !who
        ? 'signedOut'
        : !token
          ? 'signInRequired'
          : reachable
            ? 'online'
            : 'offline';
    return {
      configured: http !== null,
      serviceOrigin: d.serviceUrl ? originOf(d.serviceUrl) : null,
      connection,
      pending: who ? d.outbox.countPending(who) : 0,
      needsAttention: who
        ? d.outbox.parked(who).map((r) => ({
            opId: r.opId,
            kind: r.kind,
            batchId: r.batchId,
            clipId: r.clipId,
            revision: r.revision,
            reason: r.reason,
            parkedAt: r.parkedAt,
          }))
        : [],
      lastSyncAt: lastSyncAt(),
      nextAttemptAt,
      deviceState,
      ...timeStatus(d),
    };
  };
  const changed = (): void => {
    if (!disposed) {
      d.events.emit('sync:changed', status());
    }
  };

  const audit = (type: AuditEventType, batchId: string | null = null, refOpId: string | null = null): void => {
    const who = author();
    if (who) {
      d.outbox.add({
        opId: randomUUID(),
        kind: 'audit',
        author: who,
        batchId,
        clipId: null,
        revision: null,
        auditType: type,
        refOpId,
        createdAt: d.clock.now(),
      });
    }
  };

  const schedule = (ms: number, failure: boolean): void => {
    if (timer !== undefined) {
      timers.clearTimeout(timer);
    }
    nextAttemptAt = failure ? d.clock.now() + ms : null;
    timer = timers.setTimeout(() => {
      timer = undefined;
      nextAttemptAt = null;
      void runCycle();
    }, ms);
  };

  const onFailure = (error: unknown): void => {
    if (error instanceof SyncHttpError && error.status === 401) {
      // The session ended on the service's side: keep every op, ask for a new sign-in.
      token = undefined;
      nextAttemptAt = null;
      d.logger.info('sync: session expired; sign-in required', { code: error.code });
      return;
    }
    if (error instanceof SyncHttpError && error.status === 429) {
      reachable = true;
      const wait = error.retryAfterMs ?? backoff.next();
      d.logger.info('sync: rate limited', { waitMs: wait });
      if (started) {
        schedule(Math.max(wait, 0), true);
      } else {
        nextAttemptAt = d.clock.now() + wait;
      }
      return;
    }
    reachable = false;
    const wait = backoff.next();
    d.logger.warn('sync: cycle failed; backing off', {
      failure: error instanceof SyncHttpError ? error.failure : 'internal',
      status: error instanceof SyncHttpError ? error.status : 0,
      waitMs: wait,
    });
    if (started) {
      schedule(wait, true);
    } else {
      nextAttemptAt = d.clock.now() + wait;
    }
  };

  const cycle = async (): Promise<void> => {
    const who = author();
    if (!http || !who || !token || d.lock?.isLocked()) {
      return;
    }
    if (token.expiresAt <= d.clock.now()) {
      token = undefined;
      return;
    }
    const t = token.value;
    try {
      // An approved key is asked about again only when the service took a batch back (revoking
      // a device revokes its checkouts), so a healthy drain costs no extra request.
      if (deviceState !== 'approved') {
        deviceState = (await http.deviceState(t)).state;
      }
      const seen = { revocation: false };
      const noting: typeof audit = (type, batchId, refOpId) => {
        seen.revocation ||= type === 'batch_erased_revoked';
        audit(type, batchId, refOpId);
      };
      await syncSteps({ ...d, http, now: () => d.clock.now(), audit: noting, changed }, t, who);
      if (seen.revocation) {
        deviceState = (await http.deviceState(t)).state;
      }
      d.settings.set('sync.lastSyncAt', d.clock.now());
      reachable = true;
      backoff.reset();
      nextAttemptAt = null;
      if (started) {
        schedule(pollMs, false);
      }
    } catch (error) {
      // Locked mid-cycle: the next key it needed was refused. Nothing failed; it resumes at unlock.
      if (!disposed && !d.lock?.isLocked()) {
        onFailure(error);
      }
    }
  };

  const runCycle = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        if (disposed) {
          return;
        }
        await cycle();
        changed();
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `again` is set by calls made while the cycle awaited
      } while (again && token);
    })()
      .catch((error: unknown) => {
        if (!disposed) {
          d.logger.error('sync: cycle crashed', { error: error instanceof Error ? error.name : 'unknown' });
        }
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const requireHttp = () => {
    if (!http) {
      throw new ServiceError('UNAVAILABLE', 'No annotation service is configured on this workstation.');
    }
    return http;
  };

  /** Enrols this device (with the enrolment code, when typed) and notes its state; true when enrolled now. */
  const enrol = async (t: string, enrolmentCode: string | undefined): Promise<boolean> => {
    const answer = await enrolDevice(
      { http: requireHttp(), vault: d.vault, settings: d.settings, origin: originOf(d.serviceUrl ?? '') },
      t,
      enrolmentCode,
    );
    deviceState = answer.state;
    return answer.enrolledNow;
  };

  /** New work was saved: send it soon, unless the sender is waiting out a failure. */
  const kick = (): void => {
    changed();
    if (nextAttemptAt === null && token) {
      void runCycle();
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

  const offline = createOfflineStation({
    outbox: d.outbox,
    syncBatches: d.syncBatches,
    annotations: d.annotations,
    vault: d.vault,
    timing: d.timing,
    dialogs: d.dialogs,
    serviceKey: () => {
      return d.settings.get(SERVICE_KEY) ?? null;
    },
    now: () => d.clock.now(),
    author,
    audit,
    changed,
  });

  return {
    status,

    /**
     * Signs in with password, one-time code and this device's signature over the service's
     * challenge, enrols this device (approved at once with an enrolment code), and starts a
     * sync cycle. Operator accounts are refused: operators use the admin CLI.
     */
    async signIn(r: SignInRequest): Promise<SessionInfo> {
      const client = requireHttp();
      let answer;
      try {
        const { challenge } = await client.challenge();
        answer = await client.signIn(signedSignIn(d.vault.deviceKey(), r, challenge));
      } catch (error) {
        throw signInError(error);
      }
      const identity = answer.identity;
      if (identity.role === 'operator') {
        await client.signOut(answer.token).catch(() => undefined);
        throw new ServiceError(
          'FORBIDDEN_ROLE',
          'Operator accounts cannot sign in to the app; operators use the admin CLI on the service host.',
        );
      }
      let enrolledNow = false;
      let enrolFailure: unknown;
      try {
        enrolledNow = await enrol(answer.token, r.enrolmentCode);
      } catch (error) {
        if (enrolmentRefused(error)) {
          // A wrong enrolment code is the reviewer's to fix: nothing is kept of this sign-in.
          await client.signOut(answer.token).catch(() => undefined);
          throw signInError(error);
        }
        enrolFailure = error;
      }
      token = { value: answer.token, expiresAt: answer.expiresAt };
      d.session.signIn({ pseudonym: identity.pseudonym, role: identity.role }, answer.signedIdentity);
      await d.lock?.rememberPassword(r.password);
      reachable = true;
      audit('signed_in');
      if (enrolledNow) {
        audit('device_enrolled');
      }
      if (enrolFailure === undefined) {
        try {
          // Kept for offline exports: results packages are encrypted for this key.
          d.settings.set(SERVICE_KEY, await client.serviceKey());
        } catch (error) {
          onFailure(error);
        }
      } else {
        onFailure(enrolFailure);
      }
      backoff.reset();
      nextAttemptAt = null;
      changed();
      void runCycle();
      return d.session.get();
    },

    /** Ends the session here and on the service; unsynced work stays for the next sign-in. */
    async signOut(): Promise<null> {
      const t = token;
      audit('signed_out');
      token = undefined;
      if (t && http) {
        await http.signOut(t.value).catch(() => undefined);
      }
      d.session.signOut();
      d.lock?.forgetSecrets();
      d.vault.forgetKeys();
      changed();
      return null;
    },

    /** Runs a cycle now, skipping any wait; resolves when it (and any queued one) is done. */
    async syncNow(): Promise<SyncStatus> {
      if (timer !== undefined) {
        timers.clearTimeout(timer);
        timer = undefined;
      }
      nextAttemptAt = null;
      await runCycle();
      return status();
    },

    kick,

    /** Starts polling in the background. */
    start(): void {
      if (started || !http) {
        return;
      }
      started = true;
      schedule(0, false);
    },

    /** Stops polling; resolves once a running cycle has finished. */
    async stop(): Promise<void> {
      started = false;
      if (timer !== undefined) {
        timers.clearTimeout(timer);
        timer = undefined;
      }
      await running;
    },

    /** Stops for good (the services are closing); a cycle in flight ends without touching anything. */
    dispose(): void {
      disposed = true;
      unsubscribe.forEach((off) => off());
      started = false;
      if (timer !== undefined) {
        timers.clearTimeout(timer);
        timer = undefined;
      }
    },

    /** Records an audit event for the signed-in reviewer (lock, export). */
    audit,

    ...offline,
  };
}

export type { SyncDialogs };

export type SyncService = ReturnType<typeof createSyncService>;
