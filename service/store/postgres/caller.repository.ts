/**
 * The caller of an authenticated request in PostgreSQL: the session, its account (reviewers and
 * supervisors in `accounts`, operators in `operators`) and the enrolment of its device key, in
 * one statement, since every authenticated request reads them and each round trip costs both the
 * service and the database more than the lookup itself.
 */
import type { AccountRow, CallerRepository } from '../repositories';
import type { PgDb } from './db';

type Raw = {
  account: string;
  key_id: string;
  signing_key: Buffer;
  expires_at: number;
  ended_at: number | null;
  ops_stored: number;
  a_account: string | null;
  pseudonym: string | null;
  role: AccountRow['role'] | null;
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_counter: number | null;
  max_devices: number | null;
  disabled_at: number | null;
  device_enrolled: boolean;
};

// Operators share the account namespace and hold no devices of their own (as in accounts.find).
// The lateral join looks the account up by its key in each table rather than joining a union.
const FIND = `
  SELECT s.account, s.key_id, s.signing_key, s.expires_at, s.ended_at, s.ops_stored,
         a.account AS a_account, a.pseudonym, a.role, a.password_hash, a.totp_secret, a.totp_last_counter,
         a.max_devices, a.disabled_at,
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

function accountOf(r: Raw): AccountRow | undefined {
  if (
    r.a_account === null ||
    r.pseudonym === null ||
    r.role === null ||
    r.password_hash === null ||
    r.totp_secret === null ||
    r.totp_last_counter === null ||
    r.max_devices === null
  ) {
    return undefined;
  }
  return {
    account: r.a_account,
    pseudonym: r.pseudonym,
    role: r.role,
    passwordHash: r.password_hash,
    totpSecret: r.totp_secret,
    totpLastCounter: r.totp_last_counter,
    maxDevices: r.max_devices,
    disabledAt: r.disabled_at,
  };
}

export function pgCallerRepository(db: PgDb): CallerRepository {
  return {
    async find(tokenHash) {
      const [r] = await db.query<Raw>(FIND, [tokenHash]);
      return r
        ? {
            session: {
              account: r.account,
              keyId: r.key_id,
              signingKey: r.signing_key,
              expiresAt: r.expires_at,
              endedAt: r.ended_at,
              opsStored: r.ops_stored,
            },
            account: accountOf(r),
            deviceEnrolled: r.device_enrolled,
          }
        : undefined;
    },
  };
}
