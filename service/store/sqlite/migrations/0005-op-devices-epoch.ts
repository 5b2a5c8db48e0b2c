import type { Migration } from './types';

/**
 * Which device sent each op, and the service's epoch, so a workstation can tell when the service
 * lost ops it had acknowledged.
 *
 * - `op_devices`: the device key (and account) an op came from: the session's key for online
 *   uploads, the signed header's key for results packages. Ops stored before this version have
 *   no row; the first time their device sends one again (it gets `duplicate`), the row is made.
 *   A row is never changed once made.
 * - `service_epoch`: one row, a random value an operator changes (`admin restore-notice`) after
 *   restoring the store from a backup, so every workstation checks what the service holds at once.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'op-devices-epoch',
  up(db) {
    db.exec(`
      CREATE TABLE op_devices (
        op_id   TEXT PRIMARY KEY REFERENCES ops (op_id),
        account TEXT NOT NULL,
        key_id  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX op_devices_device ON op_devices (account, key_id);

      CREATE TABLE service_epoch (
        id         INTEGER PRIMARY KEY CHECK (id = 1),
        epoch      TEXT NOT NULL CHECK (length(epoch) = 32),
        changed_at INTEGER NOT NULL,
        changed_by TEXT
      ) STRICT;
      INSERT INTO service_epoch (id, epoch, changed_at) VALUES (1, lower(hex(randomblob(16))), 0);
    `);
  },
};
