import type { Migration } from './types';

/**
 * Teams: named groups of accounts that an operator forms with the admin CLI. A member is a
 * `member` (whose shifts the team's supervisors read) or a `supervisor` (only an account with
 * the supervisor role). An account may belong to several teams. Timing records gain an index by
 * account and kind, as team reports read every shift record of a team's members.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'teams',
  up(db) {
    db.exec(`
      CREATE TABLE teams (
        team       TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        created_by TEXT NOT NULL
      ) STRICT;

      CREATE TABLE team_members (
        team     TEXT NOT NULL REFERENCES teams (team),
        account  TEXT NOT NULL REFERENCES accounts (account),
        role     TEXT NOT NULL CHECK (role IN ('member', 'supervisor')),
        added_at INTEGER NOT NULL,
        added_by TEXT NOT NULL,
        PRIMARY KEY (team, account)
      ) STRICT;
      CREATE INDEX team_members_account ON team_members (account, role);

      CREATE INDEX timing_records_account_kind ON timing_records (account, kind);
    `);
  },
};
