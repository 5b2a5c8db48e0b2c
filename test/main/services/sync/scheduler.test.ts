import { describe, expect, it } from 'vitest';
import {
  advance,
  initialScheduler,
  nextAttemptAt,
  waitOf,
  type Scheduler,
  type SchedulerEvent,
  type SchedulerKind,
} from '../../../../main/services/sync/scheduler';

const POLL = 30_000;
const o = { baseMs: 1_000, maxMs: 60_000 };

const run = (s: Scheduler, ...events: SchedulerEvent[]): Scheduler => events.reduce((acc, e) => advance(acc, e, o), s);
const fail = (kind: 'unreachable' | 'signIn' | 'locked', at = 0): SchedulerEvent => ({
  type: 'failed',
  failure: { kind },
  at,
  jitter: 0,
});
const finish = (deviceApproved = true): SchedulerEvent => ({
  type: 'finished',
  outcome: { kind: 'done' },
  deviceApproved,
});
const go: SchedulerEvent = { type: 'run', force: true };
const saved: SchedulerEvent = { type: 'run', force: false };
const checked: SchedulerEvent = { type: 'reached', stage: 'checked' };
const draining: SchedulerEvent = { type: 'reached', stage: 'draining' };
const started = run(initialScheduler, { type: 'start' });

describe('sync scheduler', () => {
  it('names every state it can be in, and reaches each of them', () => {
    const reached = new Set<SchedulerKind>();
    const note = (s: Scheduler): Scheduler => {
      reached.add(s.state.kind);
      return s;
    };
    note(started);
    const running = note(run(started, go));
    note(run(running, fail('unreachable')));
    note(run(running, fail('signIn')));
    note(run(running, fail('locked')));
    note(run(running, finish(false)));
    const behind = { type: 'finished', outcome: { kind: 'serviceBehind', missing: 3 }, deviceApproved: true } as const;
    note(run(running, behind, behind));
    note(run(running, { type: 'dispose' }));
    expect([...reached].sort()).toEqual(
      ['backingOff', 'devicePending', 'disposed', 'idle', 'locked', 'needsSignIn', 'running', 'serviceBehind'].sort(),
    );
  });

  it('queues one more cycle for work saved while a cycle drains, and none after a failure', () => {
    const busy = run(started, go, draining, saved);
    expect(busy.state).toEqual({ kind: 'running', again: 'queued', recovering: null, stage: 'draining' });
    expect(run(busy, finish()).state).toEqual({ kind: 'running', again: 'no', recovering: null, stage: 'starting' });
    expect(run(busy, fail('unreachable')).state.kind).toBe('backingOff');
  });

  it('still runs a cycle asked for explicitly while a failing one drained, once', () => {
    const asked = run(started, go, draining, saved, go);
    const retried = run(asked, fail('unreachable'));
    expect([retried.state, retried.reachable]).toEqual([
      { kind: 'running', again: 'no', recovering: null, stage: 'starting' },
      false,
    ]);
    expect(run(retried, fail('unreachable')).state.kind).toBe('backingOff');
  });

  it('sends work saved before the cycle drains in that cycle, but gives "sync now" after the status a cycle of its own', () => {
    const busy = run(started, go, checked);
    expect(run(busy, saved)).toBe(busy);
    expect(run(busy, saved, draining, finish()).state).toEqual({ kind: 'idle' });
    // Asked for once the status came in: a fresh cycle reads batch status and device state after the ask.
    const asked = run(busy, saved, go);
    expect(asked.state).toEqual({ kind: 'running', again: 'forced', recovering: null, stage: 'checked' });
    expect(run(asked, draining, finish()).state).toEqual({
      kind: 'running',
      again: 'no',
      recovering: null,
      stage: 'starting',
    });
  });

  it('lets a cycle still waiting for batch status answer "sync now", and runs it again only if that cycle fails', () => {
    const busy = run(started, saved);
    const asked = run(busy, go);
    expect(asked.state).toEqual({ kind: 'running', again: 'served', recovering: null, stage: 'starting' });
    // The status it gets and the outbox it drains are both read after the ask: nothing more to run.
    expect(run(asked, checked, draining, finish()).state).toEqual({ kind: 'idle' });
    // A failure leaves the ask unanswered: one cycle still runs for it, as for any forced ask.
    expect(run(asked, fail('unreachable')).state).toEqual({
      kind: 'running',
      again: 'no',
      recovering: null,
      stage: 'starting',
    });
    // Work saved while it drains still asks for a cycle after a success; with the ask, after either.
    const both = run(asked, checked, draining, saved);
    expect(both.state).toMatchObject({ again: 'forced' });
    expect(run(both, finish()).state).toMatchObject({ kind: 'running', again: 'no' });
    expect(run(both, fail('unreachable')).state).toMatchObject({ kind: 'running', again: 'no' });
    // Stages only move forward.
    expect(run(asked, draining, checked).state).toMatchObject({ stage: 'draining' });
  });

  it('waits out a failure unless asked to sync now, and tells when it tries again', () => {
    const waiting = run(started, go, fail('unreachable', 10_000));
    expect(nextAttemptAt(waiting)).toBe(10_500);
    expect(waitOf(waiting, 10_100, POLL)).toBe(400);
    expect(run(waiting, { type: 'run', force: false })).toBe(waiting);
    expect(run(waiting, go).state.kind).toBe('running');
  });

  it('draws the wait after a failure from the base range again once a request has succeeded', () => {
    const twice = run(started, go, fail('unreachable'), go, fail('unreachable', 0));
    expect(nextAttemptAt(twice)).toBe(1_000);
    const answered = run(twice, go, { type: 'answered' }, fail('unreachable'));
    expect([answered.failures, nextAttemptAt(answered)]).toEqual([1, 500]);
    expect(answered.reachable).toBe(false);
  });

  it('waits as long as a 429 says, and stays reachable', () => {
    const limited = run(started, go, {
      type: 'failed',
      failure: { kind: 'rateLimited', retryAfterMs: 2_000 },
      at: 5_000,
      jitter: 0,
    });
    expect([limited.state, limited.reachable]).toEqual([
      { kind: 'backingOff', reason: 'rateLimited', retryAt: 7_000 },
      true,
    ]);
  });

  it('enters serviceBehind through a cycle outcome: one recovery cycle at once, then the next poll', () => {
    const behind = { type: 'finished', outcome: { kind: 'serviceBehind', missing: 4 }, deviceApproved: true } as const;
    const recovering = run(started, go, behind);
    expect(recovering.state).toEqual({ kind: 'running', again: 'no', recovering: { missing: 4 }, stage: 'starting' });
    const still = run(recovering, behind);
    expect(still.state).toEqual({ kind: 'serviceBehind', missing: 4 });
    expect(waitOf(still, 0, POLL)).toBe(POLL);
    expect(run(still, go).state).toEqual({
      kind: 'running',
      again: 'no',
      recovering: { missing: 4 },
      stage: 'starting',
    });
    expect(run(recovering, finish()).state).toEqual({ kind: 'idle' });
    // "Sync now" pressed once the recovery cycle had the status still gets a cycle; pressed
    // before, that cycle answered it.
    expect(run(recovering, checked, go, behind).state).toMatchObject({ kind: 'running', recovering: { missing: 4 } });
    expect(run(recovering, go, checked, behind).state).toEqual({ kind: 'serviceBehind', missing: 4 });
  });

  it('sets no timer while it waits for someone: a sign-in, an unlock, or a stopped sender', () => {
    expect(waitOf(run(started, go, fail('signIn')), 0, POLL)).toBeNull();
    expect(waitOf(run(started, go, fail('locked')), 0, POLL)).toBeNull();
    expect(waitOf(run(started, go, finish(), { type: 'stop' }), 0, POLL)).toBeNull();
    expect(waitOf(run(started, go, finish()), 0, POLL)).toBe(POLL);
  });

  it('stays disposed whatever happens next', () => {
    const gone = run(started, { type: 'dispose' });
    expect(run(gone, go, { type: 'start' }, { type: 'signedIn', reachable: true })).toBe(gone);
    expect(waitOf(gone, 0, POLL)).toBeNull();
  });
});
