/**
 * Kill points inside writes, for the crash test's child. Every write statement the real services
 * run through better-sqlite3 (`Statement.run` and `Database.exec`, which the migrations use) is
 * counted per operation; at the planned one the child reports where it is and SIGKILLs itself,
 * right after that statement and before the next one (or the COMMIT) of its transaction. No
 * application code knows of this: the hook sits on the driver's own prototypes, in the child only.
 */
import Database from 'better-sqlite3';
import type { KillPoint } from './protocol';

/** Statements that change the file; reads are not kill points. */
const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b/i;

/** `INSERT INTO annotations`, `UPDATE clips`…: the verb and table, never the values. */
export function describeStatement(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  const m =
    /^(INSERT(?: OR \w+)? INTO|REPLACE INTO|UPDATE|DELETE FROM|CREATE (?:UNIQUE )?(?:TABLE|INDEX|TRIGGER)(?: IF NOT EXISTS)?|DROP \w+|ALTER TABLE) (\w+)/i.exec(
      flat,
    );
  return m ? `${m[1]?.toUpperCase() ?? ''} ${m[2] ?? ''}` : flat.slice(0, 40);
}

export type KillHook = {
  /** The operation now running (`startup` until the first one begins). */
  setOperation(op: string): void;
  /**
   * A write outside the database that counts as a kill point too (the sealed state's anchor
   * file): call it right after that write.
   */
  wrote(label: string): void;
};

/**
 * Installs the hook: at the `point.nth` write statement run during operations of type
 * `point.op`, `report` is called synchronously and the process kills itself.
 */
export function installKillPoint(
  point: KillPoint,
  report: (where: { sql: string; inTransaction: boolean }) => void,
): KillHook {
  let operation = 'startup';
  let seen = 0;
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as {
    run: (this: { source: string; database: Database.Database }, ...args: unknown[]) => unknown;
  };
  probe.close();
  const databaseProto = Database.prototype as unknown as { exec: (this: Database.Database, sql: string) => unknown };

  const count = (where: { sql: string; inTransaction: boolean }): void => {
    if (operation !== point.op) {
      return;
    }
    seen += 1;
    if (seen === point.nth) {
      report(where);
      process.kill(process.pid, 'SIGKILL');
    }
  };
  const tick = (sql: string, db: Database.Database): void => {
    if (WRITE.test(sql)) {
      count({ sql: describeStatement(sql), inTransaction: db.inTransaction });
    }
  };
  const run = statementProto.run;
  statementProto.run = function (...args) {
    const result = run.apply(this, args);
    tick(this.source, this.database);
    return result;
  };
  const exec = databaseProto.exec;
  databaseProto.exec = function (sql) {
    const result = exec.call(this, sql);
    tick(sql, this);
    return result;
  };
  return {
    setOperation: (op) => {
      operation = op;
    },
    wrote: (label) => count({ sql: label, inTransaction: false }),
  };
}
