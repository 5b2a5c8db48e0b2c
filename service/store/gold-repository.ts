/**
 * Gold clips as the service keeps them (docs/gold-clips.md): the clip an operator seeded with its
 * reference answer, each use of it in a batch under a fresh clip id, and the score of every
 * annotation made of a use. The reference never leaves the service.
 */
import type { ClipDetails } from '../../shared/batch-package/manifest';
import type { Disposition } from '../../shared/domain/annotation';
import type { WerCounts } from '../../shared/wer/align';
import type { ServiceClip } from './repositories';

/** What a package says of a gold clip, without the id each use gets. */
export type GoldClipDetails = Omit<ClipDetails, 'id' | 'consent'>;

export type NewGoldClip = {
  readonly goldId: string;
  readonly locale: string;
  readonly details: GoldClipDetails;
  readonly audio: Buffer;
  /** The reference transcript, with `[CRITICAL:<category>]` where a submission would have them. */
  readonly reference: string;
  readonly disposition: Disposition;
  readonly createdAt: number;
  readonly createdBy: string;
};

/** A gold clip as an operator lists it: no audio, no reference text. */
export type GoldClipSummary = {
  readonly goldId: string;
  readonly locale: string;
  readonly disposition: Disposition;
  readonly durationMs: number;
  readonly createdAt: number;
  readonly createdBy: string;
  readonly removedAt: number | null;
  /** How many times it was mixed into a batch. */
  readonly uses: number;
};

/** Everything of a gold clip, for mixing it into a batch. */
export type GoldClipRow = NewGoldClip & { readonly removedAt: number | null };

/** What scoring a submission of a gold use needs: the answer it is held against. */
export type GoldAnswer = { readonly goldId: string; readonly reference: string; readonly disposition: Disposition };

/** One annotation op of a gold use, scored. */
export type GoldScore = {
  readonly opId: string;
  readonly account: string;
  readonly batchId: string;
  readonly clipId: string;
  readonly revision: number;
  readonly counts: Omit<WerCounts, 'wer' | 'errors'>;
  readonly dispositionAgreed: boolean;
  readonly scoredAt: number;
};

/** One use of a gold clip: where it goes in the batch, and the clip as packed there. */
export type GoldUse = {
  readonly batchId: string;
  readonly goldId: string;
  /** The batch position (0 is first) the clip takes; the clips from there on move down one. */
  readonly ordinal: number;
  readonly clip: ServiceClip;
  readonly at: number;
  readonly by: string;
};

/** Gold clips, their uses and their scores. */
export type GoldRepository = {
  add(g: NewGoldClip): Promise<void>;
  find(goldId: string): Promise<GoldClipRow | undefined>;
  /** Every gold clip, oldest first; removed ones only when asked. */
  list(o: { readonly removed: boolean }): Promise<GoldClipSummary[]>;
  /** Marks a gold clip removed (the first time stays); false when there is no such clip. */
  remove(goldId: string, at: number, by: string): Promise<boolean>;
  /** Whether any device ever checked the batch out: its clips are then fixed. */
  everCheckedOut(batchId: string): Promise<boolean>;
  /** Whether the gold clip is in the batch already. */
  usedIn(batchId: string, goldId: string): Promise<boolean>;
  /** Puts the clip into the batch at its position and records the use, atomically. */
  mix(use: GoldUse): Promise<void>;
  /** The answer behind a batch's clip, or undefined when the clip is not a gold use. */
  answerFor(batchId: string, clipId: string): Promise<GoldAnswer | undefined>;
  /** Stores a score; a second score of the same op changes nothing. */
  addScore(s: GoldScore): Promise<void>;
  /** Of each gold use `account` annotated in these batches, the score of its latest revision. */
  latestScores(account: string, batchIds: readonly string[]): Promise<GoldScore[]>;
  /** Drops the scores of one clip (its consent was withdrawn); returns how many. */
  eraseScores(batchId: string, clipId: string): Promise<number>;
};
