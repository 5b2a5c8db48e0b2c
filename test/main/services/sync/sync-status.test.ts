import { describe, expect, it } from 'vitest';
import { initialScheduler, type Scheduler } from '../../../../main/services/sync/scheduler';
import { projectStatus, type StatusInputs } from '../../../../main/services/sync/sync-status';

const parked = {
  opId: 'op-1',
  kind: 'annotation',
  batchId: 'b-AAAAAAAAAAAAAAA1',
  clipId: 'c-AAAAAAAAAAAAAAA1',
  revision: 2,
  reason: 'conflict',
  code: 'base_stale',
  currentRevision: 3,
  canResend: true,
  parkedAt: 5,
} as const;

const inputs = (o: Partial<StatusInputs> = {}): StatusInputs => ({
  serviceOrigin: 'https://annotations.example',
  scheduler: initialScheduler,
  session: { author: 'rv-1', hasToken: true, deviceState: 'approved' },
  counts: { pending: 3, needsAttention: [parked] },
  lastSyncAt: 1_000,
  recovery: { state: 'none', resent: 0, unrecoverable: 0, at: null },
  time: { clockSkewMs: null, serviceKey: null },
  ...o,
});

const backingOff: Scheduler = {
  ...initialScheduler,
  reachable: false,
  failures: 1,
  state: { kind: 'backingOff', reason: 'unreachable', retryAt: 9_000 },
};

describe('sync status projection', () => {
  it('shows a healthy signed-in sender as online with its counts', () => {
    expect(projectStatus(inputs())).toEqual({
      configured: true,
      serviceOrigin: 'https://annotations.example',
      connection: 'online',
      pending: 3,
      needsAttention: [parked],
      lastSyncAt: 1_000,
      nextAttemptAt: null,
      deviceState: 'approved',
      recovery: { state: 'none', resent: 0, unrecoverable: 0, at: null },
      clockSkewMs: null,
      serviceKey: null,
    });
  });

  it('shows offline and when it tries again while backing off from an unreachable service', () => {
    expect(projectStatus(inputs({ scheduler: backingOff }))).toMatchObject({
      connection: 'offline',
      nextAttemptAt: 9_000,
    });
  });

  it('asks for a sign-in when the token is gone, and shows nothing of an outbox when signed out', () => {
    const session = { author: 'rv-1', hasToken: false, deviceState: 'pending' } as const;
    expect(projectStatus(inputs({ session }))).toMatchObject({ connection: 'signInRequired', pending: 3 });
    const out = projectStatus(inputs({ session: { author: null, hasToken: false, deviceState: 'unregistered' } }));
    expect(out).toMatchObject({ connection: 'signedOut', pending: 0, needsAttention: [] });
  });

  it('is unconfigured without a service, whatever else holds', () => {
    expect(projectStatus(inputs({ serviceOrigin: null, scheduler: backingOff }))).toMatchObject({
      configured: false,
      serviceOrigin: null,
      connection: 'unconfigured',
    });
  });
});
