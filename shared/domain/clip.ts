/** How a clip stands in the vault. */
export const clipStates = ['ready', 'quarantined', 'purged'] as const;
export type ClipState = (typeof clipStates)[number];

/** One row of a batch's clip list. No content: ids, order, state and length only. */
export type ClipSummary = {
  readonly id: string;
  readonly ordinal: number;
  readonly state: ClipState;
  /** Null when the clip's details are gone (purged). */
  readonly durationMs: number | null;
  /** Why a quarantined clip cannot be played. */
  readonly reason: string | null;
};

/** Optional context the service sends with a clip. */
export type ClipHints = {
  readonly domain?: string | undefined;
  readonly deviceType?: string | undefined;
  readonly wakeWordDetected?: boolean | undefined;
};

/** A decrypted clip, ready to play: audio bytes (never a URL) and its ASR hypothesis. */
export type OpenedClip = {
  readonly id: string;
  readonly batchId: string;
  readonly codec: 'opus' | 'wav' | 'flac';
  readonly durationMs: number;
  readonly asrText: string;
  readonly hints: ClipHints | null;
  readonly audio: Uint8Array;
};
