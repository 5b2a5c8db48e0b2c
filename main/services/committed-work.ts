/**
 * Notices a database that lost committed work: a deleted `-wal` file after a crash, or an older
 * copy of the file put back. After every stored revision (never a draft) the high-water mark of
 * committed work (revisions stored, last outbox number) is written to the sealed monotonic state,
 * whose anchor lives outside the database; at start it is compared with what the database holds.
 * A database behind it is reported, not silently used as if nothing had happened.
 */
import { z } from 'zod';
import type { SealedState } from '../db/sealed-state';
import type { Logger } from '../log/logger';

const markSchema = z.strictObject({
  annotations: z.number().int().nonnegative(),
  outboxSeq: z.number().int().nonnegative(),
});
/** Revisions stored and the last outbox number. */
export type CommittedWorkMark = z.infer<typeof markSchema>;

/**
 * `ok`: the database holds at least what was recorded; `behind`: it holds less; `rolledBack` /
 * `tampered`: the sealed mark itself is older than its anchor or altered; `unchecked`: the device
 * key was not available (locked), so nothing could be compared yet.
 */
export type CommittedWorkCheck =
  | { readonly state: 'ok' }
  | { readonly state: 'behind'; readonly recorded: CommittedWorkMark; readonly found: CommittedWorkMark }
  | { readonly state: 'rolledBack' | 'tampered'; readonly found: CommittedWorkMark }
  | { readonly state: 'unchecked' };

export type CommittedWorkDeps = {
  readonly state: Pick<SealedState, 'read' | 'advance'>;
  /** What the database holds now. */
  readonly current: () => CommittedWorkMark;
  readonly logger: Logger;
};

export function createCommittedWork(d: CommittedWorkDeps) {
  let last: CommittedWorkCheck = { state: 'unchecked' };
  return {
    /** Compares the database with the recorded mark; the outcome is kept for `lastCheck`. */
    check(): CommittedWorkCheck {
      const found = d.current();
      let read;
      try {
        read = d.state.read('committedWork', markSchema);
      } catch (error) {
        d.logger.warn('committed work: not checked', { error: error instanceof Error ? error.name : typeof error });
        return (last = { state: 'unchecked' });
      }
      if (read.state === 'refused') {
        last = { state: read.error.fault, found };
      } else if (
        read.state === 'present' &&
        (found.annotations < read.value.annotations || found.outboxSeq < read.value.outboxSeq)
      ) {
        last = { state: 'behind', recorded: read.value, found };
      } else {
        last = { state: 'ok' };
      }
      if (last.state !== 'ok') {
        d.logger.error('committed work: the database lost work it had stored', {
          state: last.state,
          annotations: found.annotations,
          outboxSeq: found.outboxSeq,
          ...(last.state === 'behind'
            ? { recordedAnnotations: last.recorded.annotations, recordedOutboxSeq: last.recorded.outboxSeq }
            : {}),
        });
      }
      return last;
    },
    /** The last check's outcome. */
    lastCheck: (): CommittedWorkCheck => last,
    /**
     * Raises the mark to what the database now holds; call after a revision's commit, outside
     * any transaction. A failure is logged: the work itself is stored.
     */
    record(): void {
      try {
        d.state.advance('committedWork', markSchema, d.current());
      } catch (error) {
        d.logger.warn('committed work: mark not raised', { error: error instanceof Error ? error.name : typeof error });
      }
    },
  };
}

export type CommittedWork = ReturnType<typeof createCommittedWork>;
