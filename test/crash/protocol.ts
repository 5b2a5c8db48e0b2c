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
  /** Timing events of a clip, sent as the renderer sends them just before its submit. */
  | { readonly type: 'timing'; readonly clipId: string; readonly epoch: string; readonly seqs: readonly number[] };

/** What a returned call reports: the revision and op id of a submit, the id of an escalation, timing events stored. */
export type AckResult = {
  readonly revision?: number;
  readonly opId?: string;
  readonly id?: string;
  readonly length?: number;
  readonly accepted?: number;
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
