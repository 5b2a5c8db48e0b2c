/**
 * The sealed copy of the acknowledgement marks, over a real workstation database and an
 * in-memory sealed state: rows put back below it are raised, a moved mark is sealed once, and a
 * sealed copy that cannot be trusted is reported and never overwritten.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { openDatabase, type AppDatabase } from '../../../../main/db/database';
import { SealedStateError, type SealedRead } from '../../../../main/db/sealed-state';
import { silentLogger } from '../../../../main/log/logger';
import { createSealedMarks } from '../../../../main/services/sync/sealed-marks';
import { makeTempDir } from '../../../support/temp-dir';

const SCOPE = { service: 'http://127.0.0.1:9', author: 'rv-1' };

/** A sealed state of one entry in memory; `refuse` makes it read as rolled back. */
function memoryState() {
  let value: unknown;
  let counter = 0;
  const s = {
    refuse: false,
    get advances() {
      return counter;
    },
    read<T>(_name: string, schema: z.ZodType<T>): SealedRead<T> {
      if (s.refuse) {
        return { state: 'refused', error: new SealedStateError('rolledBack', 'syncMarks', 'older copy') };
      }
      return value === undefined ? { state: 'absent' } : { state: 'present', value: schema.parse(value), counter };
    },
    advance<T>(_name: string, schema: z.ZodType<T>, next: T): void {
      value = schema.parse(next);
      counter += 1;
    },
  };
  return s;
}

describe('sealed acknowledgement marks', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: AppDatabase;

  beforeEach(() => {
    tmp = makeTempDir('earmark-sealed-marks-');
    db = openDatabase(`${tmp.dir}/earmark.db`);
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('raises rows put back below the sealed copy, epoch included', () => {
    const state = memoryState();
    const sealed = createSealedMarks({ marks: db.syncMarks, state, logger: silentLogger });
    db.syncMarks.adoptEpoch(SCOPE.service, SCOPE.author, 'epoch-new');
    db.syncMarks.recordAcks(SCOPE.service, SCOPE.author, 40, 40);
    sealed.seal(SCOPE);
    // The rows as an older copy had them: fewer acknowledgements, under the epoch before.
    const raw = new Database(`${tmp.dir}/earmark.db`);
    raw.prepare("UPDATE sync_marks SET acked = 15, high_seq = 15, epoch = 'epoch-old'").run();
    raw.close();

    const check = sealed.check(SCOPE);
    expect(check).toMatchObject({ state: 'raised', from: { acked: 15 }, to: { acked: 40, highSeq: 40 } });
    expect(db.syncMarks.mark(SCOPE.service, SCOPE.author)).toEqual({ epoch: 'epoch-new', highSeq: 40, acked: 40 });
    expect(sealed.check(SCOPE)).toEqual({ state: 'ok' });
  });

  it('seals only a mark that moved', () => {
    const state = memoryState();
    const sealed = createSealedMarks({ marks: db.syncMarks, state, logger: silentLogger });
    db.syncMarks.recordAcks(SCOPE.service, SCOPE.author, 3, 7);
    sealed.seal(SCOPE);
    sealed.seal(SCOPE);
    expect(state.advances).toBe(1);
    db.syncMarks.recordAcks(SCOPE.service, SCOPE.author, 1, 8);
    sealed.seal(SCOPE);
    expect(state.advances).toBe(2);
    // Rows ahead of the sealed copy (acknowledged since) are normal.
    db.syncMarks.recordAcks(SCOPE.service, SCOPE.author, 5, 13);
    expect(sealed.check(SCOPE)).toEqual({ state: 'ok' });
  });

  it('reports a sealed copy that was rolled back, and never overwrites it', () => {
    const state = memoryState();
    const sealed = createSealedMarks({ marks: db.syncMarks, state, logger: silentLogger });
    db.syncMarks.recordAcks(SCOPE.service, SCOPE.author, 3, 3);
    state.refuse = true;
    expect(sealed.check(SCOPE)).toEqual({ state: 'refused', fault: 'rolledBack' });
    sealed.seal(SCOPE);
    expect(state.advances).toBe(0);
  });
});
