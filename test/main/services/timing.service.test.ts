import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnnotationBody } from '../../../shared/domain/annotation';
import { sineWav, writeTestPackage } from '../../support/packages';
import { makeServices, makeTestClock, queryDb, type ServicesEnv, type TestClock } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { fakeRenderer, type FakeRenderer } from '../../support/timing';
import { signInVouched } from '../../support/signed-identity';

const START = Date.UTC(2025, 2, 3, 8, 0);
const body = (transcript: string, extra: Partial<AnnotationBody> = {}): AnnotationBody => ({
  transcript,
  critical: [],
  entities: [],
  ...extra,
});

describe('timing service', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  let clock: TestClock;
  let batchId: string;
  let r: FakeRenderer;

  beforeEach(() => {
    clock = makeTestClock(START);
    env = makeServices({ clock });
    tmp = makeTempDir('earmark-timing-');
    const clips = [
      {
        id: 'c-AAAAAAAAAAAAAAA1',
        asrText: 'turn on the kitchen light',
        audio: sineWav({ durationMs: 4_000, sampleRate: 8_000 }),
        durationMs: 4_000,
      },
    ];
    batchId = env.services.vault.importPackage(
      writeTestPackage(join(tmp.dir, 'b.earmark'), { recipient: env.services.vault.deviceKey().publicKey, clips }).file,
    ).batchId;
    r = fakeRenderer(() => env.services, clock, batchId);
  });
  afterEach(() => {
    env.dispose();
    tmp.remove();
  });

  const submit = (basedOnRevision: number, transcript: string, extra: Partial<AnnotationBody> = {}) =>
    env.services.annotations.submit({
      batchId,
      clipId: 'c-AAAAAAAAAAAAAAA1',
      basedOnRevision,
      disposition: 'transcribed',
      body: body(transcript, extra),
    });

  const workOnClip = (): void => {
    r.event('shown');
    r.event('play', { positionMs: 0 });
    clock.advance(4_000);
    r.event('heard');
    r.event('pause', { positionMs: 4_000 });
    clock.advance(1_000);
    r.event('replay', { positionMs: 0 });
    r.event('play', { positionMs: 0 });
    clock.advance(2_000);
    r.event('pause', { positionMs: 2_000 });
    r.event('seek', { positionMs: 1_000, value: -1_000 });
    r.event('rate', { value: 1.5 });
    r.event('idle', { label: 'blur' });
    clock.advance(60_000);
    r.event('active');
    r.event('edit', { value: 5 });
    clock.advance(3_000);
    r.event('disposition', { label: 'tv_media' });
    r.event('submit');
    r.flush();
  };

  it('derives per-clip numbers at submit (idle excluded, listen time, real-time factor, replays, WER) and stores no text', () => {
    workOnClip();
    const a = submit(0, 'Turn on the kitchen lights');
    signInVouched(env.services, { pseudonym: 'sv-1', role: 'supervisor' });
    const shiftId = env.services.reports.shifts().find((s) => s.clipsDone === 1)?.shift.id ?? '';
    const [m] = env.services.reports.report([shiftId]).clips;
    expect(m).toMatchObject({
      revision: a.revision,
      durationMs: 4_000,
      handleMs: 70_000,
      idleMs: 60_000,
      activeMs: 10_000,
      listenMs: 6_000,
      realTimeFactor: 2.5,
      plays: 2,
      replays: 1,
      seeks: 1,
      rateChanges: 1,
      edits: 5,
      firstEditMs: 7_000,
      wer: 0.2,
      wordErrors: 1,
      referenceWords: 5,
      disposition: 'transcribed',
      critical: false,
      escalated: false,
      heardInFull: true,
    });
    const stored = queryDb<Record<string, unknown>>(env.dataDir, 'SELECT * FROM clip_metrics');
    expect(JSON.stringify(stored)).not.toMatch(/kitchen|light/i);
  });

  it('flags a clip submitted before it was heard in full, and one that was escalated or holds critical data', () => {
    r.event('shown');
    r.event('play', { positionMs: 0 });
    clock.advance(1_000);
    r.event('escalate');
    r.flush();
    env.services.annotations.escalate({
      batchId,
      clipId: 'c-AAAAAAAAAAAAAAA1',
      category: 'self_harm',
      note: 'private note',
    });
    clock.advance(1_000);
    r.event('submit');
    r.flush();
    submit(0, 'call mum', { critical: [{ start: 5, end: 8, category: 'phone' }] });
    const [m] = env.services.timing.pendingUpload(100).flatMap((u) => (u.kind === 'clip' ? [u.metrics] : []));
    expect(m).toMatchObject({ heardInFull: false, escalated: true, critical: true, listenMs: 2_000 });
    // The flags are sealed: the file says nothing of them.
    const rows = queryDb(
      env.dataDir,
      'SELECT heard_in_full, escalated, critical, disposition, listen_ms FROM clip_metrics',
    );
    expect(rows).toEqual([{ heard_in_full: 0, escalated: null, critical: null, disposition: null, listen_ms: 2_000 }]);
  });

  it('measures a submit the renderer sent no events for as no time, rather than refusing it', () => {
    const a = submit(0, 'turn on the kitchen light');
    expect(a.revision).toBe(1);
    expect(queryDb(env.dataDir, 'SELECT handle_ms, plays, heard_in_full, duration_ms, wer FROM clip_metrics')).toEqual([
      { handle_ms: 0, plays: 0, heard_in_full: 0, duration_ms: 4_000, wer: 0 },
    ]);
  });

  it('accepts a batch sent twice only once, and dates events by main’s clock', () => {
    r.event('shown');
    clock.advance(500);
    const batch = {
      epoch: 'epoch-x1',
      sentAt: clock.monotonic(),
      events: [{ seq: 0, t: clock.monotonic() - 500, kind: 'shown' as const, batchId, clipId: 'c-AAAAAAAAAAAAAAA1' }],
    };
    expect(env.services.timing.record(batch).accepted).toBe(1);
    expect(env.services.timing.record(batch).accepted).toBe(0);
    const [row] = queryDb<{ at: number }>(env.dataDir, "SELECT at FROM timing_events WHERE epoch = 'epoch-x1'");
    expect(row?.at).toBe(START + 500 - 500);
  });

  it('keeps every event main acknowledged, and measures a visit cut off by a crash up to the last heartbeat', () => {
    r.event('shown');
    r.event('play', { positionMs: 0 });
    r.flush();
    clock.advance(3_000);
    // A heartbeat: no events, but main hears the renderer is alive 3 s on.
    r.flush();
    clock.advance(400);
    r.event('edit', { value: 2 });
    // The renderer dies before it sends the edit; main restarts too.
    env.reopen();
    r.reload(50);
    clock.advance(10_000);
    r.event('shown');
    clock.advance(2_000);
    r.event('heard');
    r.event('submit');
    r.flush();
    submit(0, 'turn on the kitchen light');
    const [row] = queryDb<{ handle_ms: number; listen_ms: number; edits: number }>(
      env.dataDir,
      'SELECT handle_ms, listen_ms, edits FROM clip_metrics',
    );
    expect(row).toEqual({ handle_ms: 5_000, listen_ms: 3_000, edits: 0 });
    expect(queryDb<{ n: number }>(env.dataDir, 'SELECT count(*) AS n FROM timing_events')).toEqual([{ n: 5 }]);
  });

  it('hands unsynced rows to sync in write order and sends a changed shift again', () => {
    r.event('shown');
    r.flush();
    const first = env.services.timing.pendingUpload(10);
    expect(first.map((u) => u.kind)).toEqual(['shift', 'event']);
    expect(env.services.timing.markUploaded(first.map((u) => u.seq))).toBe(2);
    expect(env.services.timing.pendingUpload(10)).toEqual([]);
    env.services.shifts.end();
    const again = env.services.timing.pendingUpload(10);
    expect(again).toMatchObject([{ kind: 'shift', shift: { endReason: 'explicit' } }]);
    // A seq read before the row changed marks nothing.
    expect(env.services.timing.markUploaded(first.map((u) => u.seq))).toBe(0);
    expect(env.services.timing.pendingUpload(1)).toHaveLength(1);
  });

  it('passes the screen locking on to the renderer as a push event', () => {
    const seen: unknown[] = [];
    env.services.events.subscribe((event, payload) => seen.push([event, payload]));
    env.services.timing.powerChanged('lock');
    expect(seen).toEqual([['power:changed', { state: 'lock' }]]);
  });
});
