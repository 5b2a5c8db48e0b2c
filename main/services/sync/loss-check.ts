/**
 * Whether the service holds less than it acknowledged to this workstation: the comparison at the
 * start of every sync cycle, kept pure so every case is tested on its own.
 */
import type { AckMark } from '../../db/repositories/sync-mark.repository';

/** What the service says it holds of this device's ops, and its epoch. */
export type ServiceFigures = { readonly epoch: string; readonly highSeq: number; readonly count: number };

/**
 * `epoch`: an operator announced a restored backup (or the store was replaced). `count`: the
 * service holds fewer of this device's ops than it acknowledged. `highSeq`: its highest is below
 * the highest it acknowledged, so the latest ops are gone. `sealed`: this workstation's own
 * record of what was acknowledged was put back from an older copy (sealed-marks.ts).
 */
export type LossReason = 'epoch' | 'count' | 'highSeq' | 'sealed';

export type LossCheck = { readonly behind: boolean; readonly reasons: readonly LossReason[] };

/**
 * Compares what this workstation was acknowledged with what the service reports. Holding more
 * than was acknowledged is normal (an answer lost after the commit); holding less is a loss.
 * An epoch never seen before is not a loss by itself: there is nothing to compare it with.
 */
export function compareWithService(mine: AckMark, theirs: ServiceFigures): LossCheck {
  const reasons: LossReason[] = [];
  if (mine.epoch !== null && mine.epoch !== theirs.epoch) {
    reasons.push('epoch');
  }
  if (theirs.count < mine.acked) {
    reasons.push('count');
  }
  if (theirs.highSeq < mine.highSeq) {
    reasons.push('highSeq');
  }
  return { behind: reasons.length > 0, reasons };
}

/**
 * How many acknowledged ops the service still lacks after everything this workstation holds was
 * sent again: those it could not send (erased, or past keeping) or the service refused.
 */
export function unrecoverableAfterResend(ackedBefore: number, serviceCountAfter: number): number {
  return Math.max(0, ackedBefore - serviceCountAfter);
}
