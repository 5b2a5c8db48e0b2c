/** Accounts (reviewers, supervisors, operators) and their sessions in SQLite. */
import type { Database } from 'better-sqlite3';
import { NameTakenError, type AccountRepository, type SessionRepository } from '../repositories';
import {
  ALL_ACCOUNTS,
  toAccount,
  toAccountSummary,
  toSession,
  type RawAccount,
  type RawSession,
} from '../rows/account-row';
import type { Sync } from './unit-of-work';

export function sqliteAccountRepository(db: Database): Sync<AccountRepository> {
  type Row = { account: string; pseudonym: string; hash: string; secret: string };
  const insert = db.prepare<[Row & { role: string; max: number }]>(
    `INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret, max_devices)
     SELECT @account, @pseudonym, @role, @hash, @secret, @max
     WHERE NOT EXISTS (SELECT 1 FROM operators WHERE account = @account OR pseudonym = @pseudonym)`,
  );
  const insertOperator = db.prepare<[Row & { at: number; by: string | null }]>(
    `INSERT INTO operators (account, pseudonym, password_hash, totp_secret, created_at, created_by)
     SELECT @account, @pseudonym, @hash, @secret, @at, @by
     WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE account = @account OR pseudonym = @pseudonym)`,
  );
  const select = db.prepare<[string], RawAccount>(`SELECT * FROM (${ALL_ACCOUNTS}) WHERE account = ?`);
  const selectByPseudonym = db.prepare<[string], { account: string }>(
    'SELECT account FROM accounts WHERE pseudonym = ?',
  );
  const selectAnyByPseudonym = db.prepare<[string], { account: string }>(
    `SELECT account FROM (${ALL_ACCOUNTS}) WHERE pseudonym = ?`,
  );
  type Spend = { counter: number; account: string };
  const spendAccount = db.prepare<[Spend]>(
    'UPDATE accounts SET totp_last_counter = @counter WHERE account = @account AND totp_last_counter < @counter',
  );
  const spendOperator = db.prepare<[Spend]>(
    'UPDATE operators SET totp_last_counter = @counter WHERE account = @account AND totp_last_counter < @counter',
  );
  const operatorCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM operators');
  const setMax = db.prepare<[number, string]>('UPDATE accounts SET max_devices = ? WHERE account = ?');
  const disableAccount = db.prepare<[number, string]>(
    'UPDATE accounts SET disabled_at = ? WHERE account = ? AND disabled_at IS NULL',
  );
  const disableOperator = db.prepare<[number, string]>(
    'UPDATE operators SET disabled_at = ? WHERE account = ? AND disabled_at IS NULL',
  );
  const resetAccountTotp = db.prepare<[string, string]>('UPDATE accounts SET totp_secret = ? WHERE account = ?');
  const resetOperatorTotp = db.prepare<[string, string]>('UPDATE operators SET totp_secret = ? WHERE account = ?');
  const setRole = db.prepare<[string, string]>('UPDATE accounts SET role = ? WHERE account = ?');
  const list = db.prepare<[], RawAccount>(`SELECT * FROM (${ALL_ACCOUNTS}) ORDER BY account`);
  /** Runs an insert: one row, or the name or pseudonym is taken (in the other table, or by a key of this one). */
  const added = (insert: () => number, name: string): void => {
    let changes;
    try {
      changes = insert();
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? error.code : undefined;
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new NameTakenError(name);
      }
      throw error;
    }
    if (changes !== 1) {
      throw new NameTakenError(name);
    }
  };
  return {
    add: (a) => {
      added(
        () =>
          insert.run({
            account: a.account,
            pseudonym: a.pseudonym,
            role: a.role,
            hash: a.passwordHash,
            secret: a.totpSecret,
            max: a.maxDevices ?? 1,
          }).changes,
        a.account,
      );
    },
    addOperator: (o) => {
      added(
        () =>
          insertOperator.run({
            account: o.account,
            pseudonym: o.pseudonym,
            hash: o.passwordHash,
            secret: o.totpSecret,
            at: o.createdAt,
            by: o.createdBy,
          }).changes,
        o.account,
      );
    },
    find: (account) => {
      const r = select.get(account);
      return r ? toAccount(r) : undefined;
    },
    byPseudonym: (pseudonym) => selectByPseudonym.get(pseudonym)?.account,
    pseudonymTaken: (pseudonym) => selectAnyByPseudonym.get(pseudonym) !== undefined,
    spendTotp: (account, counter) =>
      spendAccount.run({ counter, account }).changes + spendOperator.run({ counter, account }).changes === 1,
    operatorCount: () => operatorCount.get()?.n ?? 0,
    setMaxDevices: (account, maxDevices) => setMax.run(maxDevices, account).changes === 1,
    disable: (account, at) => disableAccount.run(at, account).changes + disableOperator.run(at, account).changes === 1,
    resetTotp: (account, secret) =>
      resetAccountTotp.run(secret, account).changes + resetOperatorTotp.run(secret, account).changes === 1,
    setRole: (account, role) => setRole.run(role, account).changes === 1,
    list: () => list.all().map(toAccountSummary),
  };
}

export function sqliteSessionRepository(db: Database): Sync<SessionRepository> {
  const insert = db.prepare<[Buffer, string, string, Buffer, number, number]>(
    'INSERT INTO sessions (token_hash, account, key_id, signing_key, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const select = db.prepare<[Buffer], RawSession>(
    'SELECT account, key_id, signing_key, expires_at, ended_at, ops_stored FROM sessions WHERE token_hash = ?',
  );
  const end = db.prepare<[number, Buffer]>('UPDATE sessions SET ended_at = coalesce(ended_at, ?) WHERE token_hash = ?');
  const endAll = db.prepare<[number, string]>('UPDATE sessions SET ended_at = coalesce(ended_at, ?) WHERE account = ?');
  const expire = db.prepare<[number, Buffer]>(
    'UPDATE sessions SET expires_at = min(expires_at, ?) WHERE token_hash = ?',
  );
  const countOps = db.prepare<[number, Buffer]>('UPDATE sessions SET ops_stored = ops_stored + ? WHERE token_hash = ?');
  return {
    add: (tokenHash, s) => {
      insert.run(tokenHash, s.account, s.device.keyId, s.device.signingKey, s.createdAt, s.expiresAt);
    },
    find: (tokenHash) => {
      const r = select.get(tokenHash);
      return r ? toSession(r) : undefined;
    },
    end: (tokenHash, now) => {
      end.run(now, tokenHash);
    },
    expire: (tokenHash, at) => {
      expire.run(at, tokenHash);
    },
    countOps: (tokenHash, n) => {
      countOps.run(n, tokenHash);
    },
    endAllOf: (account, now) => {
      endAll.run(now, account);
    },
  };
}
