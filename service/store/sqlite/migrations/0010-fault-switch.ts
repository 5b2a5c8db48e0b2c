import type { Migration } from './types';

/**
 * The fault switch (service/faults.ts) moves from the service process into the store: one row
 * with the fault in force, its settings, how many uploads it has counted and whether its token
 * expiry was taken. Every service process on the store then plays the same fault.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'fault-switch',
  up(db) {
    db.exec(`
      CREATE TABLE fault_switch (
        id            INTEGER PRIMARY KEY CHECK (id = 1),
        fault         TEXT NOT NULL,
        delay_ms      INTEGER NOT NULL,
        retry_after_s INTEGER NOT NULL,
        after_ops     INTEGER NOT NULL,
        every         INTEGER NOT NULL,
        uploads       INTEGER NOT NULL DEFAULT 0,
        token_expired INTEGER NOT NULL DEFAULT 0 CHECK (token_expired IN (0, 1))
      ) STRICT;
      INSERT INTO fault_switch (id, fault, delay_ms, retry_after_s, after_ops, every) VALUES (1, 'none', 0, 1, 0, 2);
    `);
  },
};
