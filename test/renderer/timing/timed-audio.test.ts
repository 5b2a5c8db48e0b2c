import { describe, expect, it } from 'vitest';
import type { TimingBatch } from '../../../shared/domain/timing';
import { ok } from '../../../shared/result';
import { timedAudio } from '../../../renderer/timing/timed-audio';
import { createTimingRecorder } from '../../../renderer/timing/timing-recorder';
import { createFakeAudio } from '../audio/fake-audio';

const REF = { batchId: 'b1', clipId: 'c-AAAAAAAAAAAAAAA1' };

async function setup(held: () => boolean = () => false) {
  const sent: TimingBatch[] = [];
  const recorder = createTimingRecorder({
    epoch: 'epoch-audio-1',
    now: () => 0,
    send: (b) => (sent.push(b), Promise.resolve(ok(null))),
  });
  const inner = createFakeAudio((ref) =>
    Promise.resolve(
      ok({
        id: ref.clipId,
        batchId: ref.batchId,
        codec: 'wav' as const,
        durationMs: 3_000,
        asrText: 'hello',
        hints: null,
        audio: new Uint8Array(0),
      }),
    ),
  );
  const audio = timedAudio(inner, recorder, held);
  const stop = audio.attach();
  audio.setRate(1);
  await audio.open(REF);
  audio.select('c-AAAAAAAAAAAAAAA1');
  recorder.setClip(REF);
  const events = async () => {
    await recorder.flush();
    return sent
      .flatMap((b) => b.events)
      .filter((e) => e.kind !== 'shown')
      .map((e) => [e.kind, e.positionMs ?? e.value ?? null]);
  };
  return { inner, audio, recorder, events, stop };
}

describe('timed audio', () => {
  it('records plays and pauses with the position, seeks with the skip, and speed changes', async () => {
    const s = await setup();
    s.audio.play();
    s.audio.skip(1_000);
    s.audio.pause();
    s.audio.setRate(1.5);
    s.audio.setRate(1.5);
    expect(await s.events()).toEqual([
      ['play', 0],
      ['seek', 1_000],
      ['pause', 1_000],
      ['rate', 1.5],
    ]);
  });

  it('records the clip heard in full, and a play after the end as a replay', async () => {
    const s = await setup();
    s.audio.play();
    s.inner.hearToEnd();
    s.audio.play();
    expect((await s.events()).map(([k]) => k)).toEqual(['play', 'heard', 'pause', 'replay', 'play']);
  });

  it('records the replay command once, not again for the play it starts', async () => {
    const s = await setup();
    s.audio.replay();
    expect((await s.events()).map(([k]) => k)).toEqual(['replay', 'play']);
  });

  it('stops recording the engine once detached', async () => {
    const s = await setup();
    s.stop();
    s.inner.play();
    expect(await s.events()).toEqual([]);
  });

  it('starts nothing while held (a break, or one offered), and plays again once released', async () => {
    let held = true;
    const s = await setup(() => held);
    s.audio.play();
    s.audio.toggle();
    s.audio.replay();
    expect(s.inner.playing).toBe(false);
    held = false;
    s.audio.toggle();
    expect(s.inner.playing).toBe(true);
  });
});
