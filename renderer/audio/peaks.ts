/**
 * Waveform peaks, computed once per clip while it is prefetched. decodeAudioData runs off the
 * main thread; bucketing a few seconds of 8 kHz audio takes well under a millisecond, so
 * neither blocks typing.
 */

export const PEAK_BUCKETS = 200;

/** Peak magnitude per bucket across all channels, scaled so the loudest bucket is 1. */
export function bucketPeaks(channels: readonly Float32Array[], buckets = PEAK_BUCKETS): number[] {
  const length = Math.max(0, ...channels.map((c) => c.length));
  const peaks = new Array<number>(buckets).fill(0);
  if (length === 0) {
    return peaks;
  }
  for (const samples of channels) {
    for (let i = 0; i < samples.length; i += 1) {
      const b = Math.min(buckets - 1, Math.floor((i * buckets) / length));
      const v = Math.abs(samples[i] ?? 0);
      if (v > (peaks[b] ?? 0)) {
        peaks[b] = v;
      }
    }
  }
  const loudest = Math.max(...peaks);
  return loudest > 0 ? peaks.map((p) => p / loudest) : peaks;
}

let decoder: BaseAudioContext | undefined;

/**
 * Decodes a copy of the clip's bytes (decodeAudioData detaches the buffer it is given) at a
 * low sample rate, which is plenty for 200 buckets. Null when the audio cannot be decoded.
 */
export async function decodePeaks(bytes: Uint8Array): Promise<number[] | null> {
  try {
    decoder ??= new OfflineAudioContext(1, 1, 8_000);
    const buffer = await decoder.decodeAudioData(bytes.slice().buffer);
    const channels = Array.from({ length: buffer.numberOfChannels }, (_, i) => buffer.getChannelData(i));
    return bucketPeaks(channels);
  } catch {
    return null;
  }
}
