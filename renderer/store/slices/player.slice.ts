import { clampRate, stepRate } from '../../audio/playback-math';
import type { SliceCreator } from '../types';

/**
 * Playback as the screen shows it. The audio service owns the sound; it reports here. The rate
 * stays when the clip changes; it starts from the `playbackRate` setting and is saved back to it
 * (renderer/settings/attach-settings.ts). Autoplay and the backstep are settings (s.settings).
 */
export type PlayerSlice = {
  readonly player: {
    readonly playing: boolean;
    readonly positionMs: number;
    /** 0.5–2.0 in 0.1 steps; kept across clips. */
    readonly rate: number;
    /** Waveform peaks of the open clip (0–1), once decoded. */
    readonly peaks: readonly number[] | null;
    setPlaying: (playing: boolean) => void;
    setPosition: (positionMs: number) => void;
    setPeaks: (peaks: readonly number[] | null) => void;
    setRate: (rate: number) => void;
    /** One 0.1 step slower or faster; returns the new rate. */
    stepRate: (direction: -1 | 1) => number;
    /** A new clip: stopped at its start, no peaks yet; the rate stays. */
    clipChanged: (peaks: readonly number[] | null) => void;
  };
};

export const createPlayerSlice = (): SliceCreator<PlayerSlice> => (set, get) => {
  const patch = (p: Partial<PlayerSlice['player']>): void => set((s) => ({ player: { ...s.player, ...p } }));
  return {
    player: {
      playing: false,
      positionMs: 0,
      rate: 1,
      peaks: null,
      setPlaying: (playing) => patch({ playing }),
      setPosition: (positionMs) => patch({ positionMs }),
      setPeaks: (peaks) => patch({ peaks }),
      setRate: (rate) => patch({ rate: clampRate(rate) }),
      stepRate(direction) {
        const rate = stepRate(get().player.rate, direction);
        patch({ rate });
        return rate;
      },
      clipChanged: (peaks) => patch({ playing: false, positionMs: 0, peaks }),
    },
  };
};
