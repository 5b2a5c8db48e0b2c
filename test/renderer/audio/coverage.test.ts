import { describe, expect, it } from 'vitest';
import { Coverage } from '../../../renderer/audio/coverage';

/** Plays from `from` to `to` in 40 ms frames, as the frame loop would observe it. */
function play(c: Coverage, from: number, to: number): void {
  c.jump(from);
  for (let t = from; t <= to; t += 40) {
    c.observe(t);
  }
  c.observe(to);
}

describe('Coverage', () => {
  it('counts a clip played through to its end as heard in full', () => {
    const c = new Coverage();
    play(c, 0, 2_980);
    c.ended(3_000);

    expect(c.heardMs()).toBe(3_000);
    expect(c.heardInFull(3_000)).toBe(true);
  });

  it('does not count the part a forward skip jumped over', () => {
    const c = new Coverage();
    play(c, 0, 1_000);
    play(c, 4_000, 5_000);
    c.ended(5_000);

    expect(c.heardMs()).toBe(2_000);
    expect(c.heardInFull(5_000)).toBe(false);
  });

  it('does not count a seek to the end as hearing the clip', () => {
    const c = new Coverage();
    c.jump(0);
    c.jump(4_990);
    c.ended(5_000);

    expect(c.heardInFull(5_000)).toBe(false);
  });

  it('adds up stretches heard at different times, counting overlaps once', () => {
    const c = new Coverage();
    play(c, 0, 3_000);
    c.stop();
    play(c, 2_000, 4_800);

    expect(c.heardMs()).toBe(4_800);
    expect(c.heardInFull(5_000)).toBe(true);
  });

  it('needs 95% of the clip', () => {
    const c = new Coverage();
    play(c, 0, 9_400);
    expect(c.heardInFull(10_000)).toBe(false);
    play(c, 9_400, 9_500);
    expect(c.heardInFull(10_000)).toBe(true);
  });

  it('counts nothing across a pause', () => {
    const c = new Coverage();
    play(c, 0, 1_000);
    c.stop();
    c.observe(3_000);

    expect(c.heardMs()).toBe(1_000);
  });

  it('never calls an empty clip heard', () => {
    expect(new Coverage().heardInFull(0)).toBe(false);
  });
});
