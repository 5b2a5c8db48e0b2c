/** The fault switch in SQLite: one row, read and counted with single statements. */
import type { Database } from 'better-sqlite3';
import type { FaultName } from '../../../shared/sync/protocol';
import type { FaultRepository } from '../fault-repository';
import { NO_FAULT } from '../fault-repository';
import type { Sync } from './unit-of-work';

type Row = { fault: FaultName; delay_ms: number; retry_after_s: number; after_ops: number; every: number };

export function sqliteFaultRepository(db: Database): Sync<FaultRepository> {
  const select = db.prepare<[], Row>(
    'SELECT fault, delay_ms, retry_after_s, after_ops, every FROM fault_switch WHERE id = 1',
  );
  const update = db.prepare<[Row]>(
    `UPDATE fault_switch SET fault = @fault, delay_ms = @delay_ms, retry_after_s = @retry_after_s,
       after_ops = @after_ops, every = @every, uploads = 0, token_expired = 0
     WHERE id = 1`,
  );
  const count = db.prepare<[], { uploads: number; every: number }>(
    'UPDATE fault_switch SET uploads = uploads + 1 WHERE id = 1 RETURNING uploads, every',
  );
  const take = db.prepare<[number]>(
    `UPDATE fault_switch SET token_expired = 1
     WHERE id = 1 AND fault = 'expire_token' AND token_expired = 0 AND after_ops <= ?`,
  );
  return {
    get: () => {
      const r = select.get();
      return r
        ? {
            fault: r.fault,
            delayMs: r.delay_ms,
            retryAfterSeconds: r.retry_after_s,
            afterOps: r.after_ops,
            every: r.every,
          }
        : NO_FAULT;
    },
    set: (s) => {
      update.run({
        fault: s.fault,
        delay_ms: s.delayMs,
        retry_after_s: s.retryAfterSeconds,
        after_ops: s.afterOps,
        every: s.every,
      });
    },
    countUpload: () => count.get() ?? { uploads: 1, every: NO_FAULT.every },
    takeTokenExpiry: (opsStored) => take.run(opsStored).changes === 1,
  };
}
