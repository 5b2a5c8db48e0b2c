import { describe, expect, it } from 'vitest';
import { bucketPeaks, PEAK_BUCKETS } from '../../../renderer/audio/peaks';

describe('bucketPeaks', () => {
  it('makes 200 buckets scaled so the loudest is 1', () => {
    const samples = new Float32Array(8_000).map((_, i) => (i < 4_000 ? 0.1 : -0.5));
    const peaks = bucketPeaks([samples]);

    expect(peaks).toHaveLength(PEAK_BUCKETS);
    expect(peaks[0]).toBeCloseTo(0.2);
    expect(peaks[199]).toBe(1);
  });

  it('takes the loudest channel in each bucket', () => {
    const left = new Float32Array([0.2, 0.2, 0.2, 0.2]);
    const right = new Float32Array([0, 0, 0.8, 0.8]);

    expect(bucketPeaks([left, right], 2)).toEqual([0.25, 1]);
  });

  it('returns flat zero peaks for silence or no samples', () => {
    expect(bucketPeaks([new Float32Array(100)], 4)).toEqual([0, 0, 0, 0]);
    expect(bucketPeaks([], 3)).toEqual([0, 0, 0]);
  });
});
