import { afterEach, describe, expect, it } from 'vitest';
import type { PowerState, TimingBatch } from '../../../shared/domain/timing';
import { ok } from '../../../shared/result';
import { watchIdle } from '../../../renderer/timing/idle-watch';
import { createTimingRecorder } from '../../../renderer/timing/timing-recorder';

function setup(o: { playing?: () => boolean } = {}) {
  // jsdom's document has the focus once an element in it has.
  const box = document.createElement('input');
  document.body.append(box);
  box.focus();
  let now = 1_000;
  let check: () => void = () => undefined;
  let power: (p: { state: PowerState }) => void = () => undefined;
  const sent: TimingBatch[] = [];
  const recorder = createTimingRecorder({
    epoch: 'epoch-idle-1',
    now: () => now,
    send: (b) => (sent.push(b), Promise.resolve(ok(null))),
  });
  recorder.setClip({ batchId: 'b1', clipId: 'c-AAAAAAAAAAAAAAA1' });
  const stop = watchIdle({
    recorder,
    idleSeconds: () => 30,
    playing: o.playing ?? (() => false),
    onPower: (l) => {
      power = l;
      return () => undefined;
    },
    every: (_ms, fn) => {
      check = fn;
      return () => undefined;
    },
  });
  const marks = async () => {
    await recorder.flush();
    return sent
      .flatMap((b) => b.events)
      .filter((e) => e.kind === 'idle' || e.kind === 'active')
      .map((e) => [e.kind, e.label ?? null, e.t]);
  };
  return {
    recorder,
    stop: () => {
      stop();
      box.remove();
    },
    marks,
    advance: (ms: number) => (now += ms),
    check: () => check(),
    power: (state: PowerState) => power({ state }),
  };
}

describe('idle watch', () => {
  let stop: () => void = () => undefined;
  afterEach(() => stop());

  it('counts no input for the idle threshold as idle from when the threshold passed, until the next key', async () => {
    const s = setup();
    stop = s.stop;
    s.advance(29_000);
    s.check();
    expect(await s.marks()).toEqual([]);
    s.advance(5_000);
    s.check();
    s.advance(10_000);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    expect(await s.marks()).toEqual([
      ['idle', 'no_input', 31_000],
      ['active', null, 45_000],
    ]);
  });

  it('does not count listening without typing as idle', async () => {
    const s = setup({ playing: () => true });
    stop = s.stop;
    s.advance(60_000);
    s.check();
    expect(await s.marks()).toEqual([]);
  });

  it('is idle while the window is blurred or the screen locked, and active again after', async () => {
    const s = setup();
    stop = s.stop;
    window.dispatchEvent(new Event('blur'));
    s.advance(2_000);
    window.dispatchEvent(new Event('focus'));
    s.power('lock');
    s.advance(3_000);
    s.power('unlock');
    s.power('suspend');
    s.advance(4_000);
    s.power('resume');
    expect(await s.marks()).toEqual([
      ['idle', 'blur', 1_000],
      ['active', null, 3_000],
      ['idle', 'lock', 3_000],
      ['active', null, 6_000],
      ['idle', 'suspend', 6_000],
      ['active', null, 10_000],
    ]);
  });
});
