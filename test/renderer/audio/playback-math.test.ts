import { describe, expect, it } from 'vitest';
import {
  clampRate,
  formatClock,
  MAX_RATE,
  MIN_RATE,
  resumePosition,
  skipTarget,
  stepRate,
} from '../../../renderer/audio/playback-math';

describe('playback arithmetic', () => {
  it('steps the rate by exactly 0.1 from 0.5 up to 2.0, with no floating-point drift', () => {
    const seen = [MIN_RATE];
    for (let i = 0; i < 20; i += 1) {
      seen.push(stepRate(seen[seen.length - 1] ?? 1, 1));
    }
    expect(seen.slice(0, 16)).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9, 2]);
    expect(seen.slice(16).every((r) => r === MAX_RATE)).toBe(true);
  });

  it('holds the rate at 0.5 when stepping down from the bottom', () => {
    expect(stepRate(0.6, -1)).toBe(0.5);
    expect(stepRate(0.5, -1)).toBe(0.5);
    expect(stepRate(1, -1)).toBe(0.9);
  });

  it('clamps and rounds any rate into the range, and treats nonsense as normal speed', () => {
    expect(clampRate(0.1)).toBe(0.5);
    expect(clampRate(7)).toBe(2);
    expect(clampRate(0.7999999)).toBe(0.8);
    expect(clampRate(1.04)).toBe(1);
    expect(clampRate(Number.NaN)).toBe(1);
    expect(clampRate(Number.POSITIVE_INFINITY)).toBe(1);
  });

  it('steps from an off-grid rate onto the grid', () => {
    expect(stepRate(1.04, 1)).toBe(1.1);
    expect(stepRate(0.7999999, -1)).toBe(0.7);
  });

  it('backs up a second on resume but never before the start', () => {
    expect(resumePosition(2_500, 1_000)).toBe(1_500);
    expect(resumePosition(400, 1_000)).toBe(0);
    expect(resumePosition(2_500, 0)).toBe(2_500);
    expect(resumePosition(2_500, -50)).toBe(2_500);
  });

  it('keeps skips inside the clip', () => {
    expect(skipTarget(2_000, -3_000, 5_000)).toBe(0);
    expect(skipTarget(2_000, -1_000, 5_000)).toBe(1_000);
    expect(skipTarget(4_000, 3_000, 5_000)).toBe(5_000);
  });

  it('formats positions as m:ss.d', () => {
    expect(formatClock(0)).toBe('0:00.0');
    expect(formatClock(3_649)).toBe('0:03.6');
    expect(formatClock(75_300)).toBe('1:15.3');
    expect(formatClock(-20)).toBe('0:00.0');
  });
});
