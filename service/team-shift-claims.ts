/**
 * Which clip records a supervisor's team report counts (team-shifts.ts): those of revisions the
 * service holds from the reviewer's own annotation ops, each in the one shift its first stored
 * clip record named.
 */
import type { ClipMetrics } from '../shared/domain/timing';
import { clipValuesSchema } from '../shared/sync/timing-records';
import type { Repositories } from './store/repositories';

/** A revision's key: its batch, clip and number. */
export const revisionKey = (c: { batchId: string; clipId: string; revision: number }): string =>
  `${c.batchId}\u0000${c.clipId}\u0000${c.revision}`;

/** What the service holds of one account's work on one batch, as shift figures need it. */
type BatchClaims = {
  /** The revisions the account's own annotation ops stored. */
  readonly held: ReadonlySet<string>;
  /** For each revision, the shift its first stored clip record named. */
  readonly firstShift: ReadonlyMap<string, string | null>;
};

export type ClaimsOf = (account: string, batchId: string) => Promise<BatchClaims>;

/**
 * Reads each (account, batch) once for one answer: the shifts of a page share their reviewers
 * and batches, and each would otherwise read the same revisions and clip records again.
 */
export function claimsReader(repos: Repositories): ClaimsOf {
  const read = new Map<string, Promise<BatchClaims>>();
  const load = async (account: string, batchId: string): Promise<BatchClaims> => {
    const held = new Set((await repos.ops.heldRevisions(account, [batchId])).map(revisionKey));
    const firstShift = new Map<string, string | null>();
    for (const r of await repos.timing.clipRecordsOfBatches(account, [batchId])) {
      const parsed = clipValuesSchema.safeParse(JSON.parse(r.body));
      if (parsed.success && !firstShift.has(revisionKey(parsed.data))) {
        firstShift.set(revisionKey(parsed.data), parsed.data.shiftId);
      }
    }
    return { held, firstShift };
  };
  return (account, batchId) => {
    const key = JSON.stringify([account, batchId]);
    let claims = read.get(key);
    if (!claims) {
      claims = load(account, batchId);
      read.set(key, claims);
    }
    return claims;
  };
}

/**
 * The clip records of one shift that count: of revisions the service holds from this account,
 * each in the one shift its first clip record named. A timing record is the workstation's word,
 * checked for shape only; one naming a batch the reviewer never worked on, or a revision the
 * service refused, counts for nothing in the figures a supervisor reads, and a revision claimed
 * again by other shifts counts once.
 */
export async function countedClips(
  claimsOf: ClaimsOf,
  account: string,
  shiftId: string,
  clips: readonly ClipMetrics[],
): Promise<ClipMetrics[]> {
  const counted: ClipMetrics[] = [];
  for (const c of clips) {
    const claims = await claimsOf(account, c.batchId);
    if (claims.held.has(revisionKey(c)) && claims.firstShift.get(revisionKey(c)) === shiftId) {
      counted.push(c);
    }
  }
  return counted;
}
