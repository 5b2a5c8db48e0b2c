/**
 * One clip held apart from the batches for a short while, to be heard: an escalated clip a
 * supervisor asked for, or the clip of a second-listen request a teammate took. Its audio stays
 * encrypted in main's memory until it is played and is erased after use, at sign-out and lock.
 */
import type { AudioWindow, HearingKind } from '../sync/hearing-messages';

export type { AudioWindow, HearingKind, ListenQueueItem, OwnListenRequest, TextSpan } from '../sync/hearing-messages';

/** What the window learns of a held clip: never its audio until it is opened. */
export type HeldClip = {
  /** The escalation's op id or the request's id. */
  readonly holdId: string;
  readonly kind: HearingKind;
  readonly clipId: string;
  readonly durationMs: number;
  /** When the holding ends on its own (the package's expiry). */
  readonly expiresAt: number;
  /** The stretch of audio a second listen is about; null for an escalation. */
  readonly window: AudioWindow | null;
};

/** A held clip opened for playback: its audio bytes, for the protected player only. */
export type HeardClip = HeldClip & { readonly codec: 'opus' | 'wav' | 'flac'; readonly audio: Uint8Array };
