/** What sign-in and enrolment spend and count, in SQLite: challenges, failures, enrolment codes. */
import type { Database } from 'better-sqlite3';
import type { EnrolmentCodeRepository, SignInRepository } from '../repositories';
import type { Sync } from './unit-of-work';

/** Run before each challenge is spent: searches by expiry (migration 0017), never scans. */
export const DROP_EXPIRED_CHALLENGES = 'DELETE FROM spent_challenges WHERE expires_at <= ?';
/** Run before each sign-in attempt is counted: searches by time (migration 0014), never scans. */
export const PRUNE_FAILURES = 'DELETE FROM sign_in_failures WHERE at < ?';

export function sqliteSignInRepository(db: Database): Sync<SignInRepository> {
  // A row says its challenge was used; it is kept until no process would take the challenge.
  const spend = db.prepare<[Buffer, number]>(
    'INSERT INTO spent_challenges (challenge_hash, expires_at) VALUES (?, ?) ON CONFLICT (challenge_hash) DO NOTHING',
  );
  const dropExpired = db.prepare<[number]>(DROP_EXPIRED_CHALLENGES);
  const addFailure = db.prepare<[string, string, number]>(
    'INSERT INTO sign_in_failures (name, source, at) VALUES (?, ?, ?)',
  );
  const clearPair = db.prepare<[string, string]>('DELETE FROM sign_in_failures WHERE name = ? AND source = ?');
  const pair = db.prepare<[string, string], { at: number }>(
    'SELECT at FROM sign_in_failures WHERE name = ? AND source = ? ORDER BY at, seq',
  );
  const bySource = db.prepare<[string, number], { at: number }>(
    'SELECT at FROM sign_in_failures WHERE source = ? AND at > ? ORDER BY at, seq',
  );
  const byName = db.prepare<[string, number], { at: number }>(
    'SELECT at FROM sign_in_failures WHERE name = ? AND at > ? ORDER BY at, seq',
  );
  const prune = db.prepare<[number]>(PRUNE_FAILURES);
  return {
    spendChallenge: (hash, expiresAt, forgetBefore) => {
      dropExpired.run(forgetBefore);
      return spend.run(hash, expiresAt).changes === 1;
    },
    addFailure: (name, source, at) => Number(addFailure.run(name, source, at).lastInsertRowid),
    clearPair: (name, source) => {
      clearPair.run(name, source);
    },
    pairFailures: (name, source) => pair.all(name, source).map((r) => r.at),
    sourceFailuresSince: (source, since) => bySource.all(source, since).map((r) => r.at),
    nameFailuresSince: (name, since) => byName.all(name, since).map((r) => r.at),
    prune: (before) => {
      prune.run(before);
    },
  };
}

export function sqliteEnrolmentCodeRepository(db: Database): Sync<EnrolmentCodeRepository> {
  const insert = db.prepare<[Buffer, string, string, number, number]>(
    'INSERT INTO enrolment_codes (code_hash, account, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const redeem = db.prepare<[number, string, Buffer, string, number]>(
    `UPDATE enrolment_codes SET used_at = ?, used_by = ?
     WHERE code_hash = ? AND account = ? AND used_at IS NULL AND expires_at > ?`,
  );
  const attempt = db.prepare<[string, number]>('INSERT INTO enrolment_attempts (account, at) VALUES (?, ?)');
  const attempts = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM enrolment_attempts WHERE account = ? AND at > ?',
  );
  return {
    add: (c) => {
      insert.run(c.codeHash, c.account, c.issuedBy, c.issuedAt, c.expiresAt);
    },
    redeem: (hash, account, now, usedBy) => redeem.run(now, usedBy, hash, account, now).changes === 1,
    recordAttempt: (account, at) => {
      attempt.run(account, at);
    },
    attemptsSince: (account, since) => attempts.get(account, since)?.n ?? 0,
  };
}
