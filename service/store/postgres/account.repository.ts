/** Accounts (reviewers, supervisors, operators) and their sessions in PostgreSQL. */
import { NameTakenError, type AccountRepository, type SessionRepository } from '../repositories';
import {
  ALL_ACCOUNTS,
  toAccount,
  toAccountSummary,
  toSession,
  type RawAccount,
  type RawSession,
} from '../rows/account-row';
import { lockKey } from './advisory-lock';
import type { PgDb } from './db';

/**
 * Every new name and pseudonym passes this lock, so of two processes adding the same name to the
 * two tables at once, the second sees the first's row (each table's own keys cover the rest).
 */
const NAMES_LOCK = 'accounts:names';

/** PostgreSQL's SQLSTATE for a unique key violated. */
const UNIQUE_VIOLATION = '23505';

/**
 * Runs an insert: one row, or the name or pseudonym is taken (in the other table, or by a key of
 * this one, as when another process added the same name since this one looked).
 */
async function added(insert: () => Promise<number>, name: string): Promise<void> {
  let changed;
  try {
    changed = await insert();
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === UNIQUE_VIOLATION) {
      throw new NameTakenError(name);
    }
    throw error;
  }
  if (changed !== 1) {
    throw new NameTakenError(name);
  }
}

export function pgAccountRepository(db: PgDb): AccountRepository {
  return {
    async resetTotp(account, totpSecret) {
      // The last time step spent stays: no code older than a sign-in already made works.
      const changed =
        (await db.execute('UPDATE accounts SET totp_secret = $1 WHERE account = $2', [totpSecret, account])) +
        (await db.execute('UPDATE operators SET totp_secret = $1 WHERE account = $2', [totpSecret, account]));
      return changed === 1;
    },
    async setRole(account, role) {
      return (await db.execute('UPDATE accounts SET role = $1 WHERE account = $2', [role, account])) === 1;
    },
    async list() {
      const rows = await db.query<RawAccount>(`SELECT * FROM (${ALL_ACCOUNTS}) AS a ORDER BY account COLLATE "C"`);
      return rows.map(toAccountSummary);
    },
    async add(a) {
      await db.atomic(async (t) => {
        await lockKey(t, NAMES_LOCK);
        await added(
          () =>
            t.execute(
              `INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret, max_devices)
               SELECT $1, $2, $3, $4, $5, $6::integer
               WHERE NOT EXISTS (SELECT 1 FROM operators WHERE account = $1 OR pseudonym = $2)`,
              [a.account, a.pseudonym, a.role, a.passwordHash, a.totpSecret, a.maxDevices ?? 1],
            ),
          a.account,
        );
      });
    },
    async addOperator(o) {
      await db.atomic(async (t) => {
        await lockKey(t, NAMES_LOCK);
        await added(
          () =>
            t.execute(
              `INSERT INTO operators (account, pseudonym, password_hash, totp_secret, created_at, created_by)
               SELECT $1, $2, $3, $4, $5::bigint, $6
               WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE account = $1 OR pseudonym = $2)`,
              [o.account, o.pseudonym, o.passwordHash, o.totpSecret, o.createdAt, o.createdBy],
            ),
          o.account,
        );
      });
    },
    async find(account) {
      const [r] = await db.query<RawAccount>(`SELECT * FROM (${ALL_ACCOUNTS}) a WHERE account = $1`, [account]);
      return r ? toAccount(r) : undefined;
    },
    async byPseudonym(pseudonym) {
      const [r] = await db.query<{ account: string }>('SELECT account FROM accounts WHERE pseudonym = $1', [pseudonym]);
      return r?.account;
    },
    async pseudonymTaken(pseudonym) {
      const rows = await db.query(`SELECT 1 FROM (${ALL_ACCOUNTS}) a WHERE pseudonym = $1`, [pseudonym]);
      return rows.length > 0;
    },
    async spendTotp(account, counter) {
      // One statement over both tables: a name is in one of them, and its row lock decides races.
      const [r] = await db.query<{ n: number }>(
        `WITH a AS (
           UPDATE accounts SET totp_last_counter = $2 WHERE account = $1 AND totp_last_counter < $2 RETURNING 1
         ), o AS (
           UPDATE operators SET totp_last_counter = $2 WHERE account = $1 AND totp_last_counter < $2 RETURNING 1
         )
         SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM o) AS n`,
        [account, counter],
      );
      return r?.n === 1;
    },
    async operatorCount() {
      // Under the lock every add of a name takes: in a transaction that counts and then adds (the
      // first operator's bootstrap), a second one's count waits until the first has committed,
      // so two cannot both see none. Outside a transaction the lock ends with the statement.
      await lockKey(db, NAMES_LOCK);
      const [r] = await db.query<{ n: number }>('SELECT count(*) AS n FROM operators');
      return r?.n ?? 0;
    },
    async setMaxDevices(account, maxDevices) {
      return (await db.execute('UPDATE accounts SET max_devices = $1 WHERE account = $2', [maxDevices, account])) === 1;
    },
    async disable(account, at) {
      const [r] = await db.query<{ n: number }>(
        `WITH a AS (
           UPDATE accounts SET disabled_at = $2 WHERE account = $1 AND disabled_at IS NULL RETURNING 1
         ), o AS (
           UPDATE operators SET disabled_at = $2 WHERE account = $1 AND disabled_at IS NULL RETURNING 1
         )
         SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM o) AS n`,
        [account, at],
      );
      return r?.n === 1;
    },
  };
}

export function pgSessionRepository(db: PgDb): SessionRepository {
  return {
    async add(tokenHash, s) {
      await db.execute(
        `INSERT INTO sessions (token_hash, account, key_id, signing_key, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [tokenHash, s.account, s.device.keyId, s.device.signingKey, s.createdAt, s.expiresAt],
      );
    },
    async find(tokenHash) {
      const [r] = await db.query<RawSession>(
        'SELECT account, key_id, signing_key, expires_at, ended_at, ops_stored FROM sessions WHERE token_hash = $1',
        [tokenHash],
      );
      return r ? toSession(r) : undefined;
    },
    async end(tokenHash, now) {
      await db.execute('UPDATE sessions SET ended_at = coalesce(ended_at, $1) WHERE token_hash = $2', [now, tokenHash]);
    },
    async expire(tokenHash, at) {
      await db.execute('UPDATE sessions SET expires_at = least(expires_at, $1) WHERE token_hash = $2', [at, tokenHash]);
    },
    async countOps(tokenHash, n) {
      await db.execute('UPDATE sessions SET ops_stored = ops_stored + $1 WHERE token_hash = $2', [n, tokenHash]);
    },
    async endAllOf(account, now) {
      await db.execute('UPDATE sessions SET ended_at = coalesce(ended_at, $1) WHERE account = $2', [now, account]);
    },
  };
}
