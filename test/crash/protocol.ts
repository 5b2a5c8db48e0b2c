/**
 * What the crash-test child tells its parent, one JSON object per stdout line. The child writes
 * `begin` before each operation and `ack` once the service call has returned, so the parent
 * knows every acknowledged operation and at most one in flight when the SIGKILL lands.
 */
import type { Disposition, EscalationCategory } from '../../shared/domain/annotation';

/** The one batch the scripted shift works on. */
export const CRASH_BATCH_ID = 'b-AAAAAAACRASH0001';
export const CRASH_CLIPS = [
  'c-AAAAAAAAAAAAAAA1',
  'c-AAAAAAAAAAAAAAA2',
  'c-AAAAAAAAAAAAAAA3',
  'c-AAAAAAAAAAAAAAA4',
  'c-AAAAAAAAAAAAAAA5',
] as const;
/** The unlock PIN the child sets on its first run; the parent unlocks with it after each kill. */
export const CRASH_PIN = '4096';
/** Small batches imported, worked on and erased beside the shift's own: `${SIDE_PREFIX}0001`... */
export const SIDE_PREFIX = 'b-ERASEAAAAAAA';
export const SIDE_CLIPS = ['c-ERASEAAAAAAA0001', 'c-ERASEAAAAAAA0002', 'c-ERASEAAAAAAA0003'] as const;
/** Where the child's stand-in annotation service records the op ids it stored, one JSON line each. */
export const SERVED_FILE = 'served.jsonl';
export type ServedLine = { readonly opId: string; readonly pid: number; readonly duplicate: boolean };
/** The parent sets it; the child and the parent derive the test safeStorage key from it. */
export const SECRET_ENV = 'EARMARK_CRASH_SECRET';
/** The child's pseudo-random script is seeded from it, so a failing run can be replayed. */
export const SEED_ENV = 'EARMARK_CRASH_CHILD_SEED';
/** A KillPoint as JSON: the child kills itself inside that write instead of waiting for the parent. */
export const KILL_POINT_ENV = 'EARMARK_CRASH_KILL_POINT';

/** The `nth` write statement run during operations of type `op` (`startup`: before the first one). */
export type KillPoint = { readonly op: Op['type'] | 'startup'; readonly nth: number };

export type Op =
  | { readonly type: 'import' }
  | { readonly type: 'position'; readonly clipId: string }
  | { readonly type: 'draft'; readonly clipId: string; readonly basedOn: number; readonly text: string }
  | {
      readonly type: 'submit';
      readonly clipId: string;
      readonly basedOn: number;
      readonly text: string;
      readonly disposition: Disposition;
      readonly critical: boolean;
    }
  | { readonly type: 'escalate'; readonly clipId: string; readonly category: EscalationCategory }
  /** Lock, then (when `wrong`) a wrong PIN, then the right one; `pin` sets it, `unlock` is a start's unlock. */
  | { readonly type: 'lock'; readonly step: 'pin' | 'cycle' | 'unlock'; readonly wrong: boolean }
  /** Drains the outbox to the stand-in service: each request sent, then its answer settled. */
  | { readonly type: 'send' }
  /** Imports a small side batch and submits one revision on its first clip. */
  | { readonly type: 'side'; readonly batchId: string }
  /** Crypto-erases (revokes) a side batch. */
  | { readonly type: 'erase'; readonly batchId: string }
  /** Timing events of a clip, sent as the renderer sends them just before its submit. */
  | { readonly type: 'timing'; readonly clipId: string; readonly epoch: string; readonly seqs: readonly number[] };

/** What a returned call reports: the revision and op id of a submit, the id of an escalation, timing events stored. */
export type AckResult = {
  readonly revision?: number;
  readonly opId?: string;
  readonly id?: string;
  readonly length?: number;
  readonly accepted?: number;
  /** Ops a send had acknowledged. */
  readonly acked?: number;
};

export type ChildLine =
  | { readonly kind: 'ready'; readonly batchId: string; readonly resumed: boolean; readonly t: number }
  /** Written just before the child kills itself at its kill point: where the kill lands. */
  | {
      readonly kind: 'kill';
      readonly op: KillPoint['op'];
      readonly sql: string;
      readonly inTransaction: boolean;
      readonly t: number;
    }
  | { readonly kind: 'begin'; readonly seq: number; readonly op: Op; readonly t: number }
  | ({
      readonly kind: 'ack';
      readonly seq: number;
      readonly op: Op['type'];
      readonly clipId?: string;
      readonly t: number;
    } & AckResult);
