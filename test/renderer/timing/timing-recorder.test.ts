import { describe, expect, it } from 'vitest';
import type { TimingBatch } from '../../../shared/domain/timing';
import { err, ok, type Result } from '../../../shared/result';
import { createTimingRecorder, GAP_MS, MAX_BATCH } from '../../../renderer/timing/timing-recorder';

const A = { batchId: 'b1', clipId: 'c-AAAAAAAAAAAAAAA1' };
const B = { batchId: 'b1', clipId: 'c-AAAAAAAAAAAAAAA2' };

function setup(answers: (batch: TimingBatch) => Result<unknown> = () => ok({ accepted: 0 })) {
  let now = 100;
  let tick: () => void = () => undefined;
  const sent: TimingBatch[] = [];
  const recorder = createTimingRecorder({
    epoch: 'epoch-test-1',
    now: () => now,
    every: (_ms, fn) => {
      tick = fn;
      return () => undefined;
    },
    send: (batch) => {
      sent.push(batch);
      return Promise.resolve(answers(batch));
    },
  });
  return {
    recorder,
    sent,
    advance: (ms: number) => {
      now += ms;
    },
    tick: () => tick(),
    kinds: () =>
      sent.flatMap((b) => b.events.map((e) => `${e.kind}${e.label ? `:${e.label}` : ''}@${e.clipId ?? '-'}`)),
  };
}

describe('timing recorder', () => {
  it('marks each visit with shown and leave, numbers events in order and sends them on the monotonic clock', async () => {
    const s = setup();
    s.recorder.setClip(A);
    s.advance(250);
    s.recorder.record('play', { positionMs: 0 });
    s.recorder.setClip(B);
    await s.recorder.flush();
    expect(s.kinds()).toEqual([
      'shown@c-AAAAAAAAAAAAAAA1',
      'play@c-AAAAAAAAAAAAAAA1',
      'leave@c-AAAAAAAAAAAAAAA1',
      'shown@c-AAAAAAAAAAAAAAA2',
    ]);
    expect(s.sent[0]).toMatchObject({ epoch: 'epoch-test-1', sentAt: 350 });
    expect(s.sent[0]?.events.map((e) => [e.seq, e.t])).toEqual([
      [0, 100],
      [1, 350],
      [2, 350],
      [3, 350],
    ]);
  });

  it('counts a run of edits in one event', async () => {
    const s = setup();
    s.recorder.setClip(A);
    s.recorder.edit();
    s.recorder.edit();
    s.recorder.edit();
    s.recorder.record('disposition', { label: 'noise_only' });
    s.recorder.edit();
    await s.recorder.flush();
    expect(s.sent[0]?.events.filter((e) => e.kind === 'edit').map((e) => e.value)).toEqual([3, 1]);
  });

  it('marks one idle stretch however many reasons overlap, and carries it across a clip change', async () => {
    const s = setup();
    s.recorder.setClip(A);
    s.recorder.setIdle('blur', true);
    s.recorder.setIdle('hidden', true);
    s.recorder.setClip(B);
    s.recorder.setIdle('blur', false);
    s.recorder.setIdle('hidden', false);
    await s.recorder.flush();
    expect(s.kinds()).toEqual([
      'shown@c-AAAAAAAAAAAAAAA1',
      'idle:blur@c-AAAAAAAAAAAAAAA1',
      'active@c-AAAAAAAAAAAAAAA1',
      'leave@c-AAAAAAAAAAAAAAA1',
      'shown@c-AAAAAAAAAAAAAAA2',
      'idle:blur@c-AAAAAAAAAAAAAAA2',
      'active@c-AAAAAAAAAAAAAAA2',
    ]);
  });

  it('keeps events it could not send and sends them first next time', async () => {
    let fail = true;
    const s = setup(() => (fail ? err('UNAVAILABLE', 'main is busy') : ok({ accepted: 1 })));
    s.recorder.setClip(A);
    await s.recorder.flush();
    fail = false;
    s.recorder.record('play', { positionMs: 0 });
    await s.recorder.flush();
    expect(s.sent.map((b) => b.events.map((e) => e.seq))).toEqual([[0], [0, 1]]);
  });

  it('sends a heartbeat each second while a clip is open, and nothing with no clip and no events', async () => {
    const s = setup();
    s.tick();
    await s.recorder.flush();
    expect(s.sent).toEqual([]);
    s.recorder.setClip(A);
    await s.recorder.flush();
    s.advance(1_000);
    s.tick();
    await s.recorder.flush();
    expect(s.sent.at(-1)).toMatchObject({ events: [], sentAt: 1_100 });
  });

  it('counts a timer that fired far too late (the machine slept) as idle', async () => {
    const s = setup();
    s.recorder.setClip(A);
    s.recorder.start();
    s.advance(GAP_MS + 60_000);
    s.tick();
    await s.recorder.flush();
    const events = s.sent.flatMap((b) => b.events);
    expect(events.filter((e) => e.kind === 'idle' || e.kind === 'active').map((e) => [e.kind, e.label, e.t])).toEqual([
      ['idle', 'suspend', 100],
      ['active', undefined, 100 + GAP_MS + 60_000],
    ]);
  });

  it('dates an event back but never before one already recorded', async () => {
    const s = setup();
    s.recorder.setClip(A);
    s.advance(5_000);
    s.recorder.record('pause', { positionMs: 10 });
    s.recorder.setIdle('no_input', true, 1_000);
    await s.recorder.flush();
    expect(s.sent[0]?.events.map((e) => e.t)).toEqual([100, 5_100, 5_100]);
  });

  it(`sends at most ${MAX_BATCH} events per call`, async () => {
    const s = setup();
    s.recorder.setClip(A);
    for (let i = 0; i < MAX_BATCH + 10; i += 1) {
      s.recorder.record('seek', { positionMs: 0, value: 1 });
    }
    await s.recorder.flush();
    expect(s.sent.map((b) => b.events.length)).toEqual([MAX_BATCH, 11]);
  });
});
