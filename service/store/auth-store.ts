/** Accounts, sessions and enrolled devices of the reference service. */
import type { Role } from '../../shared/domain/session';
import type { ServiceDb } from './schema';

export type AccountRow = {
  readonly account: string;
  readonly pseudonym: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly totpSecret: string;
  readonly totpLastCounter: number;
  readonly failedAttempts: number;
  readonly lockedUntil: number;
};

export type SessionRow = {
  readonly account: string;
  readonly expiresAt: number;
  readonly endedAt: number | null;
  readonly opsStored: number;
};

export type DeviceRow = {
  readonly keyId: string;
  readonly encryptionKey: Buffer;
  readonly signingKey: Buffer;
  readonly enrolledAt: number;
};

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

export function createAuthStore(db: ServiceDb) {
  const insertAccount = db.prepare<[string, string, Role, string, string]>(
    'INSERT INTO accounts (account, pseudonym, role, password_hash, totp_secret) VALUES (?, ?, ?, ?, ?)',
  );
  const selectAccount = db.prepare<[string], RawAccount>('SELECT * FROM accounts WHERE account = ?');
  const selectByPseudonym = db.prepare<[string], { account: string }>(
    'SELECT account FROM accounts WHERE pseudonym = ?',
  );
  const setFailures = db.prepare<[number, number, string]>(
    'UPDATE accounts SET failed_attempts = ?, locked_until = ? WHERE account = ?',
  );
  const setCounter = db.prepare<[number, string]>(
    'UPDATE accounts SET totp_last_counter = ?, failed_attempts = 0, locked_until = 0 WHERE account = ?',
  );
  const insertSession = db.prepare<[Buffer, string, number, number]>(
    'INSERT INTO sessions (token_hash, account, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const selectSession = db.prepare<
    [Buffer],
    { account: string; expires_at: number; ended_at: number | null; ops_stored: number }
  >('SELECT account, expires_at, ended_at, ops_stored FROM sessions WHERE token_hash = ?');
  const endSession = db.prepare<[number, Buffer]>(
    'UPDATE sessions SET ended_at = coalesce(ended_at, ?) WHERE token_hash = ?',
  );
  const expireSession = db.prepare<[number, Buffer]>(
    'UPDATE sessions SET expires_at = min(expires_at, ?) WHERE token_hash = ?',
  );
  const countOps = db.prepare<[number, Buffer]>('UPDATE sessions SET ops_stored = ops_stored + ? WHERE token_hash = ?');
  const upsertDevice = db.prepare<[string, string, Buffer, Buffer, number]>(
    `INSERT INTO devices (account, key_id, encryption_key, signing_key, enrolled_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account, key_id) DO NOTHING`,
  );
  const selectDevice = db.prepare<
    [string, string],
    { key_id: string; encryption_key: Buffer; signing_key: Buffer; enrolled_at: number }
  >('SELECT key_id, encryption_key, signing_key, enrolled_at FROM devices WHERE account = ? AND key_id = ?');
  const toDevice = (r: {
    key_id: string;
    encryption_key: Buffer;
    signing_key: Buffer;
    enrolled_at: number;
  }): DeviceRow => ({
    keyId: r.key_id,
    encryptionKey: r.encryption_key,
    signingKey: r.signing_key,
    enrolledAt: r.enrolled_at,
  });

  return {
    addAccount: (a: {
      account: string;
      pseudonym: string;
      role: Role;
      passwordHash: string;
      totpSecret: string;
    }): void => {
      insertAccount.run(a.account, a.pseudonym, a.role, a.passwordHash, a.totpSecret);
    },
    account: (account: string): AccountRow | undefined => {
      const r = selectAccount.get(account);
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
    /** The account behind a pseudonym (results packages name their author by pseudonym). */
    accountOf: (pseudonym: string): string | undefined => selectByPseudonym.get(pseudonym)?.account,
    recordFailure: (account: string, failures: number, lockedUntil: number): void => {
      setFailures.run(failures, lockedUntil, account);
    },
    /** A successful sign-in: the code's counter may never be used again, and failures reset. */
    recordSuccess: (account: string, counter: number): void => {
      setCounter.run(counter, account);
    },
    addSession: (tokenHash: Buffer, account: string, now: number, expiresAt: number): void => {
      insertSession.run(tokenHash, account, now, expiresAt);
    },
    session: (tokenHash: Buffer): SessionRow | undefined => {
      const r = selectSession.get(tokenHash);
      return r
        ? { account: r.account, expiresAt: r.expires_at, endedAt: r.ended_at, opsStored: r.ops_stored }
        : undefined;
    },
    endSession: (tokenHash: Buffer, now: number): void => {
      endSession.run(now, tokenHash);
    },
    expireSession: (tokenHash: Buffer, at: number): void => {
      expireSession.run(at, tokenHash);
    },
    countOps: (tokenHash: Buffer, n: number): void => {
      countOps.run(n, tokenHash);
    },
    enrol: (account: string, d: DeviceRow): DeviceRow => {
      upsertDevice.run(account, d.keyId, d.encryptionKey, d.signingKey, d.enrolledAt);
      const stored = selectDevice.get(account, d.keyId);
      if (!stored) {
        throw new Error('enrolment was not stored');
      }
      return toDevice(stored);
    },
    device: (account: string, keyId: string): DeviceRow | undefined => {
      const r = selectDevice.get(account, keyId);
      return r ? toDevice(r) : undefined;
    },
  };
}

export type AuthStore = ReturnType<typeof createAuthStore>;
