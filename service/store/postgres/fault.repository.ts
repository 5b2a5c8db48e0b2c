/** The fault switch in PostgreSQL: one row, read and counted with single statements. */
import type { FaultName } from '../../../shared/sync/protocol';
import { NO_FAULT } from '../fault-repository';
import type { FaultRepository } from '../fault-repository';
import type { PgDb } from './db';

type Row = { fault: FaultName; delay_ms: number; retry_after_s: number; after_ops: number; every: number };

export function pgFaultRepository(db: PgDb): FaultRepository {
  return {
    async get() {
      const [r] = await db.query<Row>(
        'SELECT fault, delay_ms, retry_after_s, after_ops, every FROM fault_switch WHERE id = 1',
      );
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
    async set(s) {
      await db.execute(
        `UPDATE fault_switch SET fault = $1, delay_ms = $2, retry_after_s = $3, after_ops = $4, every = $5,
           uploads = 0, token_expired = false
         WHERE id = 1`,
        [s.fault, s.delayMs, s.retryAfterSeconds, s.afterOps, s.every],
      );
    },
    async countUpload() {
      const [r] = await db.query<{ uploads: number; every: number }>(
        'UPDATE fault_switch SET uploads = uploads + 1 WHERE id = 1 RETURNING uploads, every',
      );
      return r ?? { uploads: 1, every: NO_FAULT.every };
    },
    async takeTokenExpiry(opsStored) {
      const changed = await db.execute(
        `UPDATE fault_switch SET token_expired = true
         WHERE id = 1 AND fault = 'expire_token' AND NOT token_expired AND after_ops <= $1`,
        [opsStored],
      );
      return changed === 1;
    },
  };
}
