/**
 * What the service keeps to let one clip be heard outside a checkout: the second-listen requests
 * of the team help queue, and a grant per one-clip package packed for an account's device.
 */
import type { AudioWindow, HearingKind, TextSpan } from '../../shared/sync/hearing-messages';

export type ListenRequestRow = {
  readonly requestId: string;
  readonly requester: string;
  readonly batchId: string;
  readonly clipId: string;
  readonly span: TextSpan;
  readonly window: AudioWindow;
  readonly createdAt: number;
  readonly takenBy: string | null;
  readonly takenAt: number | null;
  readonly proposal: string | null;
  readonly proposedAt: number | null;
  readonly decision: 'accepted' | 'ignored' | null;
  readonly decidedAt: number | null;
};

export type NewListenRequestRow = Pick<
  ListenRequestRow,
  'requestId' | 'requester' | 'batchId' | 'clipId' | 'span' | 'window' | 'createdAt'
>;

/** The limit on a requester's requests waiting for an answer, and what counts toward it. */
export type ListenRoom = { readonly max: number; readonly since: number; readonly now: number };

/** An escalation op as far as hearing it needs: whose, which clip, and whether it was erased. */
export type EscalationClip = {
  readonly account: string;
  readonly batchId: string;
  readonly clipId: string;
  /** The clip's consent was withdrawn: the op says nothing more. */
  readonly withdrawn: boolean;
};

export type ClipGrant = {
  readonly kind: HearingKind;
  /** The escalation's op id or the request's id. */
  readonly subject: string;
  readonly account: string;
  readonly keyId: string;
  readonly batchId: string;
  readonly clipId: string;
  readonly grantedAt: number;
  readonly expiresAt: number;
};

/** Per account: second listens asked for, how many of those were answered, and answers given. */
export type SecondListenCounts = {
  readonly account: string;
  readonly requested: number;
  readonly answeredForThem: number;
  readonly answered: number;
};

export type HearingRepository = {
  /** The escalation op `opId`, or undefined when there is none. */
  escalationClip(opId: string): Promise<EscalationClip | undefined>;
  /** Whether `a` and `b` are in one team, in any role. */
  shareTeam(a: string, b: string): Promise<boolean>;
  /**
   * Stores a new request unless its id is taken (`taken`: the caller compares) or the requester
   * already has `room.max` requests made since `room.since` that wait for an answer on batches
   * still theirs and running at `room.now` (`full`). The count and the insert are one step: of
   * two requests racing for the last place, from any process, one gets it.
   */
  addRequest(r: NewListenRequestRow, room: ListenRoom): Promise<'added' | 'taken' | 'full'>;
  findRequest(requestId: string): Promise<ListenRequestRow | undefined>;
  /** Takes a request for `account` unless another has; false when another has. */
  take(requestId: string, account: string, at: number): Promise<boolean>;
  /** Sets the taker's proposal once; false when it was taken by another or a proposal exists. */
  propose(requestId: string, account: string, text: string, at: number): Promise<boolean>;
  /** Records the requester's decision once; false when one was recorded. */
  decide(requestId: string, decision: 'accepted' | 'ignored', at: number): Promise<boolean>;
  /**
   * Requests of accounts that share a team with `account` (not `account`'s own), oldest first,
   * made since `since`, undecided, on batches still the requester's and running at `now`: the
   * ones nobody took and the ones `account` took; at most `max`.
   */
  queueFor(account: string, since: number, now: number, max: number): Promise<ListenRequestRow[]>;
  /** `account`'s own requests made since `since`, newest first; at most `max`. */
  ownedBy(account: string, since: number, max: number): Promise<ListenRequestRow[]>;
  /** Erases the proposals written for a clip whose consent was withdrawn; returns how many. */
  eraseClip(batchId: string, clipId: string): Promise<number>;
  /** Records (or renews) a grant. */
  grant(g: ClipGrant): Promise<void>;
  findGrant(kind: HearingKind, subject: string, account: string): Promise<ClipGrant | undefined>;
  /** Counts for each of `accounts` over requests made (and proposals written) within [from, to). */
  counts(accounts: readonly string[], from: number, to: number): Promise<SecondListenCounts[]>;
};
