/**
 * What `npm run service` does about accounts at start. With `--demo` it seeds the demo reviewer,
 * supervisor, team and batches, prints their credentials and issues an enrolment code for the demo
 * reviewer: all of it published in the README, so a demo service is reached from this host only
 * (loopback, no proxy, no TLS), and starts only on a store that holds nothing but the demo seed.
 * Without `--demo` it seeds nothing, names any demo account still enabled with its published TOTP
 * secret (refusing to start while other hosts reach it), and, while the store has no operator,
 * says how to make the first one.
 */
import { resolve } from 'node:path';
import { CLI_SOURCE } from './audit';
import { totpUri } from './auth';
import type { Core } from './core';
import { issueEnrolmentCode } from './enrolment-codes';
import { DEMO_REVIEWER, DEMO_SUPERVISOR, seedDemo } from './seed';
import { isLoopbackHost } from './source-address';
import type { AccountCensus, CensusAccount } from './store/account-census';
import type { StoreChoice } from './store/open-service-store';
import type { AccountRepository } from './store/repositories';

/** Who the audit trail names for the code the demo service issues at start. */
const DEMO_SERVICE_ACTOR = 'dev-service';

const DEMO_ACCOUNTS = [DEMO_REVIEWER, DEMO_SUPERVISOR] as const;

/** The switches that decide who reaches the service. */
export type Reach = {
  readonly host: string;
  readonly trustProxyHeader?: string | undefined;
  readonly tlsCert?: string | undefined;
};

/** How hosts other than this one reach a service: the switch that lets them, and how. */
export type OutsideReach = { readonly flag: string; readonly how: string };

/** How hosts other than this one reach a service started with `r`; undefined when none does. */
export function outsideReach(r: Reach): OutsideReach | undefined {
  if (!isLoopbackHost(r.host)) {
    return { flag: `on ${r.host}`, how: `it listens on ${r.host}` };
  }
  if (r.trustProxyHeader !== undefined) {
    return { flag: 'with --trust-proxy-header', how: 'a proxy relays other hosts to it (--trust-proxy-header)' };
  }
  if (r.tlsCert !== undefined) {
    return { flag: 'with --tls-cert', how: 'it serves TLS (--tls-cert), which is for other hosts' };
  }
  return undefined;
}

/** Why `--demo` may not start with these switches; undefined when it may. */
export function demoReachProblem(r: Reach): string | undefined {
  const reach = outsideReach(r);
  return reach === undefined
    ? undefined
    : `Refusing --demo ${reach.flag}: the demo accounts' passwords and TOTP secrets are public, so a demo ` +
        `service is reached from this host only (--host 127.0.0.1, no proxy, no TLS), and ${reach.how}. ` +
        'Without --demo the service seeds no accounts.';
}

/** Whether `a` is a demo account as the demo seed made it (name, role, pseudonym and published TOTP secret). */
export const isDemoSeed = (a: CensusAccount): boolean =>
  DEMO_ACCOUNTS.some(
    (d) => d.account === a.account && d.role === a.role && d.pseudonym === a.pseudonym && d.totpSecret === a.totpSecret,
  );

/**
 * Why `--demo` may not start on a store holding `c`; undefined for a store holding nothing, or
 * the demo seed alone. Names no account but the demo names: the store may be one real people use.
 */
export function demoStoreProblem(c: AccountCensus): string | undefined {
  const others = c.accounts.filter((a) => !isDemoSeed(a));
  const impostors = others.filter((a) => DEMO_ACCOUNTS.some((d) => d.account === a.account)).map((a) => a.account);
  if (c.operators.length === 0 && others.length === 0) {
    return undefined;
  }
  const held = [
    ...(c.operators.length > 0 ? [`${c.operators.length} operator(s)`] : []),
    ...(others.length > impostors.length ? [`${others.length - impostors.length} other account(s)`] : []),
    ...impostors.map((name) => `an account "${name}" that is not the demo one`),
  ];
  return (
    `Refusing --demo: the store holds ${held.join(', ')}, so it is not a demo store, and the demo accounts' ` +
    'passwords and TOTP secrets are public. Nothing was written. Run the demo on a data folder of its own ' +
    '(--data DIR, without --database or EARMARK_DATABASE_URL).'
  );
}

/** Seeds the demo data unless there; true when this process seeded it. */
export const seedDemoData = (core: Core): Promise<boolean> => seedDemo(core, resolve(__dirname, '..', 'resources'));

/**
 * Prints the demo accounts' credentials and a fresh enrolment code for the demo reviewer; for an
 * account of a demo name that is not the demo seed, neither (its credentials are not the published ones).
 */
export async function announceDemo(core: Core, out: (line: string) => void): Promise<void> {
  const seeded = new Set<string>();
  for (const a of DEMO_ACCOUNTS) {
    const row = await core.store.accounts.find(a.account);
    if (row === undefined || !isDemoSeed(row)) {
      out(`  "${a.account}" is not the demo account: its credentials are not the published ones`);
      continue;
    }
    seeded.add(a.account);
    out(`  ${a.role}: account "${a.account}", password "${a.password}", TOTP secret ${a.totpSecret}`);
    out(`    ${totpUri(a.totpSecret, a.account)}`);
  }
  if (!seeded.has(DEMO_REVIEWER.account)) {
    return;
  }
  out(`  current code: npm run service -- code ${DEMO_REVIEWER.account}`);
  const enrolment = await issueEnrolmentCode(
    core,
    { operator: DEMO_SERVICE_ACTOR, source: CLI_SOURCE },
    DEMO_REVIEWER.account,
  );
  out(`  enrolment code for "${DEMO_REVIEWER.account}" (type it at sign-in; works once, for 24 h): ${enrolment.code}`);
}

/** The demo accounts enabled with their published TOTP secret: anyone who read the README signs in as them. */
export async function publishedDemoAccounts(accounts: AccountRepository): Promise<string[]> {
  const found = await Promise.all(DEMO_ACCOUNTS.map((d) => accounts.find(d.account)));
  return DEMO_ACCOUNTS.filter((d, i) => {
    const row = found[i];
    return row !== undefined && row.disabledAt === null && row.totpSecret === d.totpSecret;
  }).map((d) => d.account);
}

/** The store flag the admin CLI needs to act on the store of `choice` (never its URL: it may hold a password). */
const storeFlag = (choice: StoreChoice): string =>
  choice.kind === 'sqlite' ? `--data ${resolve(choice.file, '..')}` : '--database URL';

/**
 * The warning for demo accounts enabled with their published secrets: who they are, and the
 * commands that disable them; `reach` (how other hosts reach the service) makes it a refusal.
 */
export function publishedDemoAccountsWarning(
  names: readonly string[],
  choice: StoreChoice,
  reach?: OutsideReach,
): string[] {
  const head =
    reach === undefined ? 'WARNING: this store holds' : `Refusing to start: ${reach.how}, and the store holds`;
  return [
    `${head} the demo account(s) ${names.map((n) => `"${n}"`).join(', ')}, enabled with the TOTP secret the ` +
      'README publishes (its password too): anyone who read it can sign in as them. Disable them:',
    ...names.map((n) => `  npm run service -- admin ${storeFlag(choice)} --operator NAME accounts disable ${n}`),
    `  (with no operator yet, make one first: npm run service -- admin ${storeFlag(choice)} bootstrap --operator NAME)`,
  ];
}

/**
 * How to make the first operator, while the store has none (the store's URL is not repeated: it
 * may hold a password).
 */
export async function firstOperatorHint(core: Core, choice: StoreChoice): Promise<string[]> {
  if ((await core.store.accounts.operatorCount()) > 0) {
    return [];
  }
  return [
    '  no operator yet: make the first one (it then creates accounts with "admin --operator NAME accounts create"):',
    `    npm run service -- admin ${storeFlag(choice)} bootstrap --operator NAME`,
    '  (npm run service -- --demo starts a loopback service with the public demo accounts instead)',
  ];
}
