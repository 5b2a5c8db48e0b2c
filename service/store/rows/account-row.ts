/** Accounts and sessions as both stores read them, and how a row becomes the repository's type. */
import type { AccountRow, AccountSummary, SessionRow } from '../identity-repositories';

/** An account or operator row as selected from {@link ALL_ACCOUNTS}. */
export type RawAccount = {
  account: string;
  pseudonym: string;
  role: AccountRow['role'];
  password_hash: string;
  totp_secret: string;
  totp_last_counter: number;
  max_devices: number;
  disabled_at: number | null;
};

/**
 * Every account as {@link RawAccount} rows, on either store. Operators share the account
 * namespace; they hold no devices of their own.
 */
export const ALL_ACCOUNTS = `
  SELECT account, pseudonym, role, password_hash, totp_secret, totp_last_counter, max_devices, disabled_at
    FROM accounts
  UNION ALL
  SELECT account, pseudonym, 'operator', password_hash, totp_secret, totp_last_counter, 0, disabled_at
    FROM operators`;

export const toAccount = (r: RawAccount): AccountRow => ({
  account: r.account,
  pseudonym: r.pseudonym,
  role: r.role,
  passwordHash: r.password_hash,
  totpSecret: r.totp_secret,
  totpLastCounter: r.totp_last_counter,
  maxDevices: r.max_devices,
  disabledAt: r.disabled_at,
});

/** An account as an operator lists it: its secrets stay behind. */
export const toAccountSummary = (r: RawAccount): AccountSummary => ({
  account: r.account,
  pseudonym: r.pseudonym,
  role: r.role,
  maxDevices: r.max_devices,
  disabledAt: r.disabled_at,
});

export type RawSession = {
  account: string;
  key_id: string;
  signing_key: Buffer;
  expires_at: number;
  ended_at: number | null;
  ops_stored: number;
};

export const toSession = (r: RawSession): SessionRow => ({
  account: r.account,
  keyId: r.key_id,
  signingKey: r.signing_key,
  expiresAt: r.expires_at,
  endedAt: r.ended_at,
  opsStored: r.ops_stored,
});
