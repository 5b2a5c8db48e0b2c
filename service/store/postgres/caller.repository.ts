/**
 * The caller of an authenticated request in PostgreSQL: the session, its account (reviewers and
 * supervisors in `accounts`, operators in `operators`) and the enrolment of its device key, in
 * one statement, since every authenticated request reads them and each round trip costs both the
 * service and the database more than the lookup itself.
 */
import type { CallerRepository } from '../repositories';
import { toAccount, toSession, type RawAccount, type RawSession } from '../rows/account-row';
import type { PgDb } from './db';

/** The session's columns, its account as one JSON object (or null), and whether its key is enrolled. */
type Raw = RawSession & { account_row: RawAccount | null; device_enrolled: boolean };

// Operators share the account namespace and hold no devices of their own (as in accounts.find).
// The lateral join looks the account up by its key in each table rather than joining a union;
// the account comes back as one JSON object, so it is read through the same mapper as elsewhere.
const FIND = `
  SELECT s.account, s.key_id, s.signing_key, s.expires_at, s.ended_at, s.ops_stored,
         to_jsonb(a) AS account_row,
         EXISTS (SELECT 1 FROM devices d WHERE d.account = s.account AND d.key_id = s.key_id) AS device_enrolled
    FROM sessions s
    LEFT JOIN LATERAL (
      SELECT account, pseudonym, role, password_hash, totp_secret, totp_last_counter, max_devices, disabled_at
        FROM accounts WHERE account = s.account
      UNION ALL
      SELECT account, pseudonym, 'operator', password_hash, totp_secret, totp_last_counter, 0, disabled_at
        FROM operators WHERE account = s.account
    ) a ON true
   WHERE s.token_hash = $1`;

export function pgCallerRepository(db: PgDb): CallerRepository {
  return {
    async find(tokenHash) {
      const [r] = await db.query<Raw>(FIND, [tokenHash]);
      return r
        ? {
            session: toSession(r),
            account: r.account_row ? toAccount(r.account_row) : undefined,
            deviceEnrolled: r.device_enrolled,
          }
        : undefined;
    },
  };
}
