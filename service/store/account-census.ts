/**
 * Who a store holds, read without opening it as the service does: no migration runs and nothing
 * is written, so a start that is refused for what the store holds leaves it as it was, whatever
 * version of the schema it has. Reads only columns every version of either store has had.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import type { AccountRow } from './identity-repositories';
import type { StoreChoice } from './open-service-store';

/** A reviewer or supervisor account as the census reads it. */
export type CensusAccount = Pick<AccountRow, 'account' | 'role' | 'pseudonym' | 'totpSecret'>;

/** The operators' names and the other accounts of a store; both empty for a store not made yet. */
export type AccountCensus = { readonly operators: readonly string[]; readonly accounts: readonly CensusAccount[] };

type RawCensusAccount = { account: string; role: AccountRow['role']; pseudonym: string; totp_secret: string };

const ACCOUNTS = 'SELECT account, role, pseudonym, totp_secret FROM accounts ORDER BY account';
const OPERATORS = 'SELECT account FROM operators ORDER BY account';

const toCensus = (operators: { account: string }[], accounts: RawCensusAccount[]): AccountCensus => ({
  operators: operators.map((o) => o.account),
  accounts: accounts.map((a) => ({
    account: a.account,
    role: a.role,
    pseudonym: a.pseudonym,
    totpSecret: a.totp_secret,
  })),
});

function sqliteCensus(file: string): AccountCensus {
  if (!existsSync(file)) {
    return { operators: [], accounts: [] };
  }
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const has = (table: string): boolean =>
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
    return toCensus(
      has('operators') ? db.prepare<[], { account: string }>(OPERATORS).all() : [],
      has('accounts') ? db.prepare<[], RawCensusAccount>(ACCOUNTS).all() : [],
    );
  } finally {
    db.close();
  }
}

async function pgCensus(url: string): Promise<AccountCensus> {
  const client = new Client({ connectionString: url, application_name: 'earmark-service' });
  await client.connect();
  try {
    // Read in one snapshot, in a transaction that writes nothing.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const [tables] = (
      await client.query<{ accounts: boolean; operators: boolean }>(
        "SELECT to_regclass('accounts') IS NOT NULL AS accounts, to_regclass('operators') IS NOT NULL AS operators",
      )
    ).rows;
    const operators = tables?.operators ? (await client.query<{ account: string }>(OPERATORS)).rows : [];
    const accounts = tables?.accounts ? (await client.query<RawCensusAccount>(ACCOUNTS)).rows : [];
    await client.query('COMMIT');
    return toCensus(operators, accounts);
  } finally {
    await client.end();
  }
}

/** Reads who the chosen store holds, without creating, migrating or writing to it. */
export function readAccountCensus(choice: StoreChoice): Promise<AccountCensus> {
  return choice.kind === 'postgres' ? pgCensus(choice.url) : Promise.resolve(sqliteCensus(choice.file));
}
