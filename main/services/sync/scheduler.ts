/**
 * The sync sender's schedule as one state machine: every state it can be in is named below, and
 * {@link advance} is the only place a state changes. It is pure (no timers, no clock of its own,
 * no randomness): the runner (sender-loop.ts) feeds it events and carries out what the new state
 * asks for — a cycle to run, or a timer to set ({@link waitOf}).
 *
 * Backoff follows progress: a request the service answered resets the failure count, so a
 * failure after a success waits within the base range again; only consecutive failures double
 * the ceiling.
 */
import { backoffWait, type BackoffOptions } from './backoff';

/** What the service lacks of this workstation's acknowledged work, as loss detection reports it. */
export type ServiceBehind = {
  /** Ops the service acknowledged once and no longer holds; they are sent again. */
  readonly missing: number;
};

/** How one cycle ended, when it ran to its end. */
export type CycleOutcome = { readonly kind: 'done' } | ({ readonly kind: 'serviceBehind' } & ServiceBehind);

/** Why a cycle stopped early. `signIn`: no session, or the service ended it (401). */
export type CycleFailure =
  | { readonly kind: 'signIn' }
  | { readonly kind: 'locked' }
  | { readonly kind: 'rateLimited'; readonly retryAfterMs: number | null }
  | { readonly kind: 'unreachable' };

export type SchedulerState =
  /** Healthy and waiting for the next poll (or for new work). */
  | { readonly kind: 'idle' }
  /**
   * A cycle is running. `again` asks for one more at its end: `queued` (work saved meanwhile)
   * runs only if this one succeeds; `forced` (sync now, a timer, a sign-in, asked once this
   * cycle had heard from the service) runs even after a failure, once; `served` (a forced ask
   * made before, which this cycle answers) runs only after a failure.
   */
  | {
      readonly kind: 'running';
      readonly again: Again;
      /** Set while the cycle is the recovery that follows a `serviceBehind` outcome. */
      readonly recovering: ServiceBehind | null;
      readonly stage: CycleStage;
    }
  /** The last request failed: the next cycle waits until `retryAt` unless the reviewer asks. */
  | { readonly kind: 'backingOff'; readonly reason: 'unreachable' | 'rateLimited'; readonly retryAt: number }
  /** No session (never signed in, expired, or ended by the service): nothing runs until a sign-in. */
  | { readonly kind: 'needsSignIn' }
  /** Healthy, but the service has not approved this workstation's key yet (or revoked it). */
  | { readonly kind: 'devicePending' }
  /** A recovery cycle still found the service behind: it is tried again at the next poll. */
  | ({ readonly kind: 'serviceBehind' } & ServiceBehind)
  /** The app is locked: no key may be loaded, so nothing runs until the unlock. */
  | { readonly kind: 'locked' }
  /** The services closed: nothing runs and nothing is touched again. */
  | { readonly kind: 'disposed' };

export type SchedulerKind = SchedulerState['kind'];

/** Whether one more cycle follows the running one (see the `running` state). */
export type Again = 'no' | 'queued' | 'served' | 'forced';

/**
 * How far the running cycle is, which says what an ask made now needs:
 * - `starting`: no state from the service has come in yet (the key's state, when it is not
 *   approved, then batch status). A forced ask is `served` by this cycle: what it reads was
 *   written after the ask, give or take one trip over the network, and its drain reads the
 *   outbox later still.
 * - `checked`: the service answered. A forced ask gets a cycle of its own, which reads that
 *   state afresh; work saved needs none yet.
 * - `draining`: the outbox is being sent. Work saved from now on needs one more cycle (`queued`).
 */
export type CycleStage = 'starting' | 'checked' | 'draining';
const STAGES: readonly CycleStage[] = ['starting', 'checked', 'draining'];

/** The state with what outlives any one state: polling on or off, the failure run, reachability. */
export type Scheduler = {
  readonly state: SchedulerState;
  /** Started (the background poll runs) rather than driven by explicit calls only. */
  readonly polling: boolean;
  /** Requests failed in a row; a success sets it back to 0. */
  readonly failures: number;
  /** False after a failure to reach the service, until a request succeeds. */
  readonly reachable: boolean;
};

export type SchedulerEvent =
  | { readonly type: 'start' }
  | { readonly type: 'stop' }
  | { readonly type: 'dispose' }
  /** Run a cycle: `force` (a timer, the reviewer's "sync now") runs even while backing off. */
  | { readonly type: 'run'; readonly force: boolean }
  /**
   * The running cycle has the service's batch status (`checked`), or starts sending the outbox
   * (`draining`): what an ask made from now on needs (see CycleStage).
   */
  | { readonly type: 'reached'; readonly stage: Exclude<CycleStage, 'starting'> }
  /** A session was opened; `reachable` is false when a request around it could not reach the service. */
  | { readonly type: 'signedIn'; readonly reachable: boolean }
  /** The service answered a request. */
  | { readonly type: 'answered' }
  | { readonly type: 'finished'; readonly outcome: CycleOutcome; readonly deviceApproved: boolean }
  /** `at` and `jitter` (in [0, 1)) come from the runner so this stays pure. */
  | { readonly type: 'failed'; readonly failure: CycleFailure; readonly at: number; readonly jitter: number };

export const initialScheduler: Scheduler = { state: { kind: 'idle' }, polling: false, failures: 0, reachable: true };

const running = (recovering: ServiceBehind | null = null): SchedulerState => ({
  kind: 'running',
  again: 'no',
  recovering,
  stage: 'starting',
});

/** Where a finished cycle leaves the sender. */
function afterCycle(s: Scheduler, e: Extract<SchedulerEvent, { type: 'finished' }>): Scheduler {
  const base = { ...s, failures: 0, reachable: true };
  if (s.state.kind !== 'running') {
    return base;
  }
  if (e.outcome.kind === 'serviceBehind') {
    // The first report runs a recovery cycle at once; a second in a row waits for the next poll,
    // so a service that stays behind is not asked in a tight loop, unless an ask made during it
    // is `forced` (a sync now once it had heard from the service, or one it answered together
    // with work saved while it drained): that ask still gets its cycle, once.
    const behind = { missing: e.outcome.missing };
    return s.state.recovering && s.state.again !== 'forced'
      ? { ...base, state: { kind: 'serviceBehind', ...behind } }
      : { ...base, state: running(behind) };
  }
  if (s.state.again === 'queued' || s.state.again === 'forced') {
    return { ...base, state: running() };
  }
  return { ...base, state: e.deviceApproved ? { kind: 'idle' } : { kind: 'devicePending' } };
}

/**
 * Records a request for one more cycle (see CycleStage); a forced one is never downgraded. Work
 * saved before the running cycle drains the outbox goes up in that cycle and asks for nothing
 * more; so does a forced ask made before the cycle heard from the service (`served`).
 */
function queue(s: Scheduler, state: Extract<SchedulerState, { kind: 'running' }>, force: boolean): Scheduler {
  if (!force && state.stage !== 'draining') {
    return s;
  }
  const ask: Again = !force ? 'queued' : state.stage === 'starting' ? 'served' : 'forced';
  const next = joinAgain(state.again, ask);
  return next === state.again ? s : { ...s, state: { ...state, again: next } };
}

/** Both asks at once: a cycle after a success (`queued`) and after a failure (`served`) is `forced`. */
function joinAgain(a: Again, b: Again): Again {
  if (a === b || b === 'no') {
    return a;
  }
  return a === 'no' ? b : 'forced';
}

/**
 * Where a failed cycle leaves the sender. Work saved meanwhile waits for the backoff too; a cycle
 * asked for explicitly while this one ran still runs, once.
 */
function afterFailure(s: Scheduler, e: Extract<SchedulerEvent, { type: 'failed' }>, o: BackoffOptions): Scheduler {
  const after = backOff(s, e, o);
  const forced = s.state.kind === 'running' && (s.state.again === 'forced' || s.state.again === 'served');
  return forced && after.state.kind === 'backingOff' ? { ...after, state: running() } : after;
}

function backOff(s: Scheduler, e: Extract<SchedulerEvent, { type: 'failed' }>, o: BackoffOptions): Scheduler {
  switch (e.failure.kind) {
    case 'signIn':
      return { ...s, state: { kind: 'needsSignIn' } };
    case 'locked':
      return { ...s, state: { kind: 'locked' } };
    case 'rateLimited': {
      const wait = e.failure.retryAfterMs ?? backoffWait(s.failures, o, e.jitter);
      const retryAt = e.at + Math.max(wait, 0);
      return {
        ...s,
        failures: s.failures + 1,
        reachable: true,
        state: { kind: 'backingOff', reason: 'rateLimited', retryAt },
      };
    }
    case 'unreachable': {
      const retryAt = e.at + backoffWait(s.failures, o, e.jitter);
      return {
        ...s,
        failures: s.failures + 1,
        reachable: false,
        state: { kind: 'backingOff', reason: 'unreachable', retryAt },
      };
    }
  }
}

/** Whether a `run` event starts (or queues) a cycle in this state. */
function runs(state: SchedulerState, force: boolean): boolean {
  switch (state.kind) {
    case 'disposed':
      return false;
    case 'backingOff':
      return force;
    case 'idle':
    case 'running':
    case 'needsSignIn':
    case 'devicePending':
    case 'serviceBehind':
    case 'locked':
      return true;
  }
}

/** The one transition function: the next scheduler for an event. Returns `s` itself when nothing changes. */
export function advance(s: Scheduler, e: SchedulerEvent, o: BackoffOptions = {}): Scheduler {
  if (s.state.kind === 'disposed') {
    return s;
  }
  switch (e.type) {
    case 'start':
      return s.polling ? s : { ...s, polling: true };
    case 'stop':
      return s.polling ? { ...s, polling: false } : s;
    case 'dispose':
      return { ...s, polling: false, state: { kind: 'disposed' } };
    case 'run':
      if (!runs(s.state, e.force)) {
        return s;
      }
      if (s.state.kind === 'running') {
        return queue(s, s.state, e.force);
      }
      return { ...s, state: running(s.state.kind === 'serviceBehind' ? { missing: s.state.missing } : null) };
    case 'signedIn':
      return {
        ...s,
        failures: 0,
        reachable: e.reachable,
        state: s.state.kind === 'running' ? { ...s.state, again: 'forced' } : { kind: 'idle' },
      };
    case 'reached':
      // Stages only move forward.
      return s.state.kind === 'running' && STAGES.indexOf(e.stage) > STAGES.indexOf(s.state.stage)
        ? { ...s, state: { ...s.state, stage: e.stage } }
        : s;
    case 'answered':
      return s.failures === 0 && s.reachable ? s : { ...s, failures: 0, reachable: true };
    case 'finished':
      return afterCycle(s, e);
    case 'failed':
      return s.state.kind === 'running' ? afterFailure(s, e, o) : s;
  }
}

/**
 * How long to wait before the next cycle in this state, or null for no timer: only a started
 * sender polls, and a state that waits for someone (sign-in, unlock) sets none.
 */
export function waitOf(s: Scheduler, now: number, pollMs: number): number | null {
  if (!s.polling) {
    return null;
  }
  switch (s.state.kind) {
    case 'idle':
    case 'devicePending':
    case 'serviceBehind':
      return pollMs;
    case 'backingOff':
      return Math.max(0, s.state.retryAt - now);
    case 'running':
    case 'needsSignIn':
    case 'locked':
    case 'disposed':
      return null;
  }
}

/** When the sender tries again after a failure; null when it is not waiting out one. */
export function nextAttemptAt(s: Scheduler): number | null {
  return s.state.kind === 'backingOff' ? s.state.retryAt : null;
}
