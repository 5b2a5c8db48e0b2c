/**
 * What `npm run service` does about accounts at start. With `--demo` it seeds the demo reviewer,
 * supervisor, team and batches, prints their credentials and issues an enrolment code for the demo
 * reviewer: all of it published in the README, so a demo service listens on loopback only. Without
 * `--demo` it seeds nothing and, while the store has no operator, says how to make the first one.
 */
import { resolve } from 'node:path';
import { CLI_SOURCE } from './audit';
import { totpUri } from './auth';
import type { Core } from './core';
import { issueEnrolmentCode } from './enrolment-codes';
import { DEMO_REVIEWER, DEMO_SUPERVISOR, seedDemo } from './seed';
import { isLoopbackHost } from './source-address';
import type { StoreChoice } from './store/open-service-store';

/** Who the audit trail names for the code the demo service issues at start. */
const DEMO_SERVICE_ACTOR = 'dev-service';

/** Why `--demo` may not listen on `host`; undefined when it may. */
export function demoHostProblem(host: string): string | undefined {
  return isLoopbackHost(host)
    ? undefined
    : `Refusing --demo on ${host}: the demo accounts' passwords and TOTP secrets are public, so a demo ` +
        'service listens on loopback only (--host 127.0.0.1). Without --demo the service seeds no accounts.';
}

/** Seeds the demo data unless there; true when this process seeded it. */
export const seedDemoData = (core: Core): Promise<boolean> => seedDemo(core, resolve(__dirname, '..', 'resources'));

/** Prints the demo accounts' credentials and a fresh enrolment code for the demo reviewer. */
export async function announceDemo(core: Core, out: (line: string) => void): Promise<void> {
  for (const a of [DEMO_REVIEWER, DEMO_SUPERVISOR]) {
    out(`  ${a.role}: account "${a.account}", password "${a.password}", TOTP secret ${a.totpSecret}`);
    out(`    ${totpUri(a.totpSecret, a.account)}`);
  }
  out(`  current code: npm run service -- code ${DEMO_REVIEWER.account}`);
  const enrolment = await issueEnrolmentCode(
    core,
    { operator: DEMO_SERVICE_ACTOR, source: CLI_SOURCE },
    DEMO_REVIEWER.account,
  );
  out(`  enrolment code for "${DEMO_REVIEWER.account}" (type it at sign-in; works once, for 24 h): ${enrolment.code}`);
}

/**
 * How to make the first operator, while the store has none (the store's URL is not repeated: it
 * may hold a password).
 */
export async function firstOperatorHint(core: Core, choice: StoreChoice): Promise<string[]> {
  if ((await core.store.accounts.operatorCount()) > 0) {
    return [];
  }
  const store = choice.kind === 'sqlite' ? `--data ${resolve(choice.file, '..')}` : '--database URL';
  return [
    '  no operator yet: make the first one (it then creates accounts with "admin --operator NAME accounts create"):',
    `    npm run service -- admin ${store} bootstrap --operator NAME`,
    '  (npm run service -- --demo starts a loopback service with the public demo accounts instead)',
  ];
}
