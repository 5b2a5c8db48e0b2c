/**
 * The acknowledgement marks (sync_marks, a plain table) bound to the sealed monotonic state, so
 * they cannot be wound back to hide a loss: a database, or its sync_marks rows, put back from an
 * older copy together with an older copy of the service would otherwise agree with that service
 * and show nothing missing.
 *
 * After each cycle the marks of the reviewer signed in are sealed (one entry for every service
 * and reviewer, advanced only when a mark moved, outside any transaction). Before each loss check
 * the rows are compared with the sealed copy: rows below it are raised to it, and the check then
 * finds the service behind what it really acknowledged. A sealed entry that is itself older than
 * its anchor or altered (the whole database put back) cannot say how much was acknowledged; the
 * check then counts the service as behind and the loss as one that cannot be ruled out.
 */
import { z } from 'zod';
import type { SealedStateAccess, SealedStateFault } from '../../db/sealed-state';
import type { AckMark, SyncMarkRepository } from '../../db/repositories/sync-mark.repository';
import type { Logger } from '../../log/logger';
import type { LossScope } from './loss-recovery';

const markSchema = z.strictObject({
  epoch: z.string().nullable(),
  highSeq: z.number().int().nonnegative(),
  acked: z.number().int().nonnegative(),
});
/** Marks by scope; the key is `[service, author]` as JSON, so no separator can be forged. */
const marksSchema = z.record(z.string(), markSchema);
type Marks = z.infer<typeof marksSchema>;

const keyOf = (scope: LossScope): string => JSON.stringify([scope.service, scope.author]);
const same = (a: AckMark, b: AckMark): boolean => a.epoch === b.epoch && a.highSeq === b.highSeq && a.acked === b.acked;

/**
 * `ok`: the rows hold at least what was sealed; `raised`: they held less and were raised to the
 * sealed copy; `refused`: the sealed copy itself was rolled back or altered.
 */
export type SealedMarkCheck =
  | { readonly state: 'ok' }
  | { readonly state: 'raised'; readonly from: AckMark; readonly to: AckMark }
  | { readonly state: 'refused'; readonly fault: SealedStateFault };

export type SealedMarksDeps = {
  readonly marks: Pick<SyncMarkRepository, 'mark' | 'raise'>;
  readonly state: Pick<SealedStateAccess, 'read' | 'advance'>;
  readonly logger: Logger;
};

export function createSealedMarks(d: SealedMarksDeps) {
  const read = (): { ok: true; marks: Marks } | { ok: false; fault: SealedStateFault } => {
    const found = d.state.read('syncMarks', marksSchema);
    if (found.state === 'refused') {
      return { ok: false, fault: found.error.fault };
    }
    return { ok: true, marks: found.state === 'present' ? found.value : {} };
  };

  return {
    /** Before the loss check: the rows against the sealed copy, raised to it when below. */
    check(scope: LossScope): SealedMarkCheck {
      const sealed = read();
      if (!sealed.ok) {
        d.logger.error('sync: the sealed acknowledgement marks cannot be trusted', { fault: sealed.fault });
        return { state: 'refused', fault: sealed.fault };
      }
      const floor = sealed.marks[keyOf(scope)];
      const rows = d.marks.mark(scope.service, scope.author);
      if (
        !floor ||
        (floor.acked <= rows.acked && floor.highSeq <= rows.highSeq && (floor.epoch ?? rows.epoch) === rows.epoch)
      ) {
        return { state: 'ok' };
      }
      d.marks.raise(scope.service, scope.author, floor);
      const to = d.marks.mark(scope.service, scope.author);
      d.logger.error('sync: the acknowledgement marks were older than their sealed copy; raised', {
        acked: rows.acked,
        sealedAcked: floor.acked,
        highSeq: rows.highSeq,
        sealedHighSeq: floor.highSeq,
      });
      return { state: 'raised', from: rows, to };
    },

    /** After a cycle: seals the scope's mark as the rows now hold it, when it moved. */
    seal(scope: LossScope): void {
      const sealed = read();
      if (!sealed.ok) {
        // Never laundered: a refused copy stays refused, and every check says so.
        return;
      }
      const key = keyOf(scope);
      const rows = d.marks.mark(scope.service, scope.author);
      const before = sealed.marks[key];
      if (before && same(before, rows)) {
        return;
      }
      d.state.advance('syncMarks', marksSchema, { ...sealed.marks, [key]: rows });
    },
  };
}

export type SealedMarks = ReturnType<typeof createSealedMarks>;
