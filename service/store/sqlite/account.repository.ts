/** Accounts, sessions and enrolled devices in SQLite. */
import type { Database } from 'better-sqlite3';
import type { Role } from '../../../shared/domain/session';
import type { AccountRepository, DeviceRepository, DeviceRow, SessionRepository } from '../repositories';
import type { Sync } from './unit-of-work';

type RawAccount = {
  account: string;
  pseudonym: string;
  role: Role;
  password_hash: string;
  totp_secret: string;
  totp_last_counter: number;
  failed_attempts: number;
  locked_until: number;
};

type RawDevice = { key_id: string; encryption_key: Buffer; signing_key: Buffer; enrolled_at: number };

const toDevice = (r: RawDevice): DeviceRow => ({
  keyId: r.key_id,
  encryptionKey: r.encryption_key,
  signingKey: r.signing_key,
  enrolledAt: r.enrolled_at,
});

export function sqliteAccountRepository(db: Database): Sync<AccountRepository> {
  const insert = db.prepare<[string, string, Role, string, string]>(
    'INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret) VALUES (?, ?, ?, ?, ?)',
  );
  const select = db.prepare<[string], RawAccount>('SELECT * FROM accounts WHERE account = ?');
  const selectByPseudonym = db.prepare<[string], { account: string }>(
    'SELECT account FROM accounts WHERE pseudonym = ?',
  );
  const setFailures = db.prepare<[number, number, string]>(
    'UPDATE accounts SET failed_attempts = ?, locked_until = ? WHERE account = ?',
  );
  const setCounter = db.prepare<[number, string]>(
    'UPDATE accounts SET totp_last_counter = ?, failed_attempts = 0, locked_until = 0 WHERE account = ?',
  );
  return {
    add: (a) => {
      insert.run(a.account, a.pseudonym, a.role, a.passwordHash, a.totpSecret);
    },
    find: (account) => {
      const r = select.get(account);
      return r
        ? {
            account: r.account,
            pseudonym: r.pseudonym,
            role: r.role,
            passwordHash: r.password_hash,
            totpSecret: r.totp_secret,
            totpLastCounter: r.totp_last_counter,
            failedAttempts: r.failed_attempts,
            lockedUntil: r.locked_until,
          }
        : undefined;
    },
    byPseudonym: (pseudonym) => selectByPseudonym.get(pseudonym)?.account,
    recordFailure: (account, failures, lockedUntil) => {
      setFailures.run(failures, lockedUntil, account);
    },
    recordSuccess: (account, counter) => {
      setCounter.run(counter, account);
    },
  };
}

export function sqliteSessionRepository(db: Database): Sync<SessionRepository> {
  const insert = db.prepare<[Buffer, string, number, number]>(
    'INSERT INTO sessions (token_hash, account, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const select = db.prepare<
    [Buffer],
    { account: string; expires_at: number; ended_at: number | null; ops_stored: number }
  >('SELECT account, expires_at, ended_at, ops_stored FROM sessions WHERE token_hash = ?');
  const end = db.prepare<[number, Buffer]>('UPDATE sessions SET ended_at = coalesce(ended_at, ?) WHERE token_hash = ?');
  const expire = db.prepare<[number, Buffer]>(
    'UPDATE sessions SET expires_at = min(expires_at, ?) WHERE token_hash = ?',
  );
  const countOps = db.prepare<[number, Buffer]>('UPDATE sessions SET ops_stored = ops_stored + ? WHERE token_hash = ?');
  return {
    add: (tokenHash, account, now, expiresAt) => {
      insert.run(tokenHash, account, now, expiresAt);
    },
    find: (tokenHash) => {
      const r = select.get(tokenHash);
      return r
        ? { account: r.account, expiresAt: r.expires_at, endedAt: r.ended_at, opsStored: r.ops_stored }
        : undefined;
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
  };
}

export function sqliteDeviceRepository(db: Database): Sync<DeviceRepository> {
  const insert = db.prepare<[string, string, Buffer, Buffer, number]>(
    `INSERT INTO devices (account, key_id, encryption_key, signing_key, enrolled_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account, key_id) DO NOTHING`,
  );
  const select = db.prepare<[string, string], RawDevice>(
    'SELECT key_id, encryption_key, signing_key, enrolled_at FROM devices WHERE account = ? AND key_id = ?',
  );
  return {
    enrol: (account, d) => {
      insert.run(account, d.keyId, d.encryptionKey, d.signingKey, d.enrolledAt);
      const stored = select.get(account, d.keyId);
      if (!stored) {
        throw new Error('enrolment was not stored');
      }
      return toDevice(stored);
    },
    find: (account, keyId) => {
      const r = select.get(account, keyId);
      return r ? toDevice(r) : undefined;
    },
  };
}
