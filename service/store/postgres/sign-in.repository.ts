/** What sign-in and enrolment spend and count, in PostgreSQL: challenges, failures, enrolment codes. */
import type { EnrolmentCodeRepository, SignInRepository } from '../repositories';
import { lockKey } from './advisory-lock';
import type { PgDb } from './db';

const times = (rows: readonly { at: number }[]): number[] => rows.map((r) => r.at);

/**
 * The throttle (service/sign-in-throttle.ts) reads a name's and a source's failures, then counts
 * one more, in one unit of work. Each read first takes the lock of what it counts, so attempts
 * racing in several processes are counted one after the other, as SQLite's single writer would.
 * Name locks and source locks have keys of their own kinds, and every admission takes the name's
 * before the source's, so two admissions never wait for each other in a circle.
 */
const nameLock = (name: string): string => `sign-in:name:${name}`;
const sourceLock = (source: string): string => `sign-in:source:${source}`;

export function pgSignInRepository(db: PgDb): SignInRepository {
  return {
    async spendChallenge(hash, expiresAt, forgetBefore) {
      // The table holds spent challenges. The delete cannot touch this one's row (it expires
      // after forgetBefore), so the insert's row count alone says whether it was spent before.
      return (
        (await db.execute(
          `WITH expired AS (DELETE FROM spent_challenges WHERE expires_at <= $3)
           INSERT INTO spent_challenges (challenge_hash, expires_at) VALUES ($1, $2)
           ON CONFLICT (challenge_hash) DO NOTHING`,
          [hash, expiresAt, forgetBefore],
        )) === 1
      );
    },
    async addFailure(name, source, at) {
      const [r] = await db.query<{ seq: number }>(
        'INSERT INTO sign_in_failures (name, source, at) VALUES ($1, $2, $3) RETURNING seq',
        [name, source, at],
      );
      if (!r) {
        throw new Error('the sign-in failure was not stored');
      }
      return r.seq;
    },
    async clearPair(name, source) {
      await db.execute('DELETE FROM sign_in_failures WHERE name = $1 AND source = $2', [name, source]);
    },
    async pairFailures(name, source) {
      await lockKey(db, nameLock(name));
      await lockKey(db, sourceLock(source));
      return times(
        await db.query<{ at: number }>(
          'SELECT at FROM sign_in_failures WHERE name = $1 AND source = $2 ORDER BY at, seq',
          [name, source],
        ),
      );
    },
    async sourceFailuresSince(source, since) {
      await lockKey(db, sourceLock(source));
      return times(
        await db.query<{ at: number }>(
          'SELECT at FROM sign_in_failures WHERE source = $1 AND at > $2 ORDER BY at, seq',
          [source, since],
        ),
      );
    },
    async nameFailuresSince(name, since) {
      await lockKey(db, nameLock(name));
      return times(
        await db.query<{ at: number }>('SELECT at FROM sign_in_failures WHERE name = $1 AND at > $2 ORDER BY at, seq', [
          name,
          since,
        ]),
      );
    },
    async prune(before) {
      await db.execute('DELETE FROM sign_in_failures WHERE at < $1', [before]);
    },
  };
}

export function pgEnrolmentCodeRepository(db: PgDb): EnrolmentCodeRepository {
  return {
    async add(c) {
      await db.execute(
        'INSERT INTO enrolment_codes (code_hash, account, issued_by, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [c.codeHash, c.account, c.issuedBy, c.issuedAt, c.expiresAt],
      );
    },
    async redeem(hash, account, now, usedBy) {
      const changed = await db.execute(
        `UPDATE enrolment_codes SET used_at = $1, used_by = $2
         WHERE code_hash = $3 AND account = $4 AND used_at IS NULL AND expires_at > $1`,
        [now, usedBy, hash, account],
      );
      return changed === 1;
    },
    async recordAttempt(account, at) {
      await db.execute('INSERT INTO enrolment_attempts (account, at) VALUES ($1, $2)', [account, at]);
    },
    async attemptsSince(account, since) {
      // Counted, then recorded, in one unit of work: racing attempts take turns here.
      await lockKey(db, `enrolment-attempts:${account}`);
      const [r] = await db.query<{ n: number }>(
        'SELECT count(*) AS n FROM enrolment_attempts WHERE account = $1 AND at > $2',
        [account, since],
      );
      return r?.n ?? 0;
    },
  };
}
