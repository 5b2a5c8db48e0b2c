/**
 * What keeps the published demo accounts out of a store real people use: `--demo` starts only
 * where no other host reaches it and only on a store holding nothing but the demo seed (read
 * without opening, so without writing), prints no published credential for an account that only
 * shares a demo name, and a service without `--demo` finds the demo accounts still enabled with
 * their published secret. On both stores (test/support/test-store.ts).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../service/core';
import {
  announceDemo,
  demoReachProblem,
  demoStoreProblem,
  outsideReach,
  publishedDemoAccounts,
  publishedDemoAccountsWarning,
} from '../../service/demo-start';
import { addAccount, DEMO_REVIEWER, DEMO_SUPERVISOR, seedDemo } from '../../service/seed';
import { readAccountCensus } from '../../service/store/account-census';
import type { StoreChoice } from '../../service/store/open-service-store';
import { makeTempDir } from '../support/temp-dir';
import { newTestStoreTarget, openTestStoreAt, runOnTestStore, type TestStoreTarget } from '../support/test-store';

const RESOURCES = resolve(__dirname, '../../resources');

const choiceOf = (target: TestStoreTarget): StoreChoice =>
  'pgUrl' in target
    ? { kind: 'postgres', url: target.pgUrl, options: {} }
    : { kind: 'sqlite', file: target.sqliteFile };

describe('demo accounts and the stores real people use', { timeout: 60_000 }, () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let target: TestStoreTarget;
  beforeEach(async () => {
    tmp = makeTempDir('earmark-demo-guard-');
    target = await newTestStoreTarget(join(tmp.dir, 'service.db'));
  });
  afterEach(() => tmp.remove());

  /** Opens the store at the target, runs `work`, and closes it. */
  const withCore = async <T>(work: (core: Core) => Promise<T>): Promise<T> => {
    const core = createCore({ store: await openTestStoreAt(target) });
    try {
      return await work(core);
    } finally {
      await core.store.close();
    }
  };
  const census = () => readAccountCensus(choiceOf(target));

  it('reads a store not made yet as empty, and makes nothing', async () => {
    expect(await census()).toEqual({ operators: [], accounts: [] });
    expect(demoStoreProblem(await census())).toBeUndefined();
    if ('pgUrl' in target) {
      const tables = 'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = ?';
      expect(await runOnTestStore(target, tables, ['public'])).toEqual([{ n: 0 }]);
    } else {
      expect(existsSync(target.sqliteFile)).toBe(false);
    }
  });

  it('lets --demo start on the demo seed alone', async () => {
    await withCore((core) => seedDemo(core, RESOURCES));
    expect((await census()).accounts.map((a) => a.account)).toEqual([DEMO_REVIEWER.account, DEMO_SUPERVISOR.account]);
    expect(demoStoreProblem(await census())).toBeUndefined();
  });

  it('refuses --demo on a store with an operator or any other account, naming none but demo names', async () => {
    await withCore((core) =>
      addAccount(core, { ...DEMO_SUPERVISOR, account: 'olga', pseudonym: 'op-1', role: 'operator' }),
    );
    expect(demoStoreProblem(await census())).toMatch(
      /^Refusing --demo: the store holds 1 operator\(s\), so it is not a demo store/,
    );
    await withCore(async (core) => {
      await seedDemo(core, RESOURCES);
      await addAccount(core, { ...DEMO_REVIEWER, account: 'bob', pseudonym: 'rv-bob' });
    });
    const problem = demoStoreProblem(await census()) ?? '';
    expect(problem).toContain('1 operator(s), 1 other account(s)');
    expect(problem).not.toMatch(/olga|bob/);
  });

  it('refuses --demo on a store whose "reviewer" is not the demo one', async () => {
    await withCore((core) => addAccount(core, { ...DEMO_REVIEWER, totpSecret: 'REALREVIEWERSECRET234567ABCDEFGH' }));
    expect(demoStoreProblem(await census())).toContain('an account "reviewer" that is not the demo one');
  });

  it('seeds the demo accounts into an empty store only', async () => {
    await withCore(async (core) => {
      await addAccount(core, { ...DEMO_SUPERVISOR, account: 'olga', pseudonym: 'op-1', role: 'operator' });
      expect(await seedDemo(core, RESOURCES)).toBe(false);
      expect((await core.store.accounts.list()).map((a) => a.account)).toEqual(['olga']);
    });
  });

  it('prints no published credential and issues no code for a "reviewer" that is not the demo one', async () => {
    const realSecret = 'REALREVIEWERSECRET234567ABCDEFGH';
    const out: string[] = [];
    await withCore(async (core) => {
      await addAccount(core, { ...DEMO_REVIEWER, totpSecret: realSecret });
      await addAccount(core, DEMO_SUPERVISOR);
      await announceDemo(core, (line) => out.push(line));
    });
    const printed = out.join('\n');
    expect(printed).toContain('"reviewer" is not the demo account');
    expect(printed).not.toContain(DEMO_REVIEWER.password);
    expect(printed).not.toContain(realSecret);
    expect(printed).not.toMatch(/enrolment code/);
    expect(printed).toContain(`password "${DEMO_SUPERVISOR.password}"`);
    expect(await runOnTestStore(target, 'SELECT account FROM enrolment_codes', [])).toEqual([]);
  });

  it('finds the demo accounts enabled with their published secret, until disabled or given a new one', async () => {
    await withCore(async (core) => {
      await seedDemo(core, RESOURCES);
      const { accounts } = core.store;
      expect(await publishedDemoAccounts(accounts)).toEqual([DEMO_REVIEWER.account, DEMO_SUPERVISOR.account]);
      await accounts.disable(DEMO_REVIEWER.account, core.now());
      expect(await publishedDemoAccounts(accounts)).toEqual([DEMO_SUPERVISOR.account]);
      await accounts.resetTotp(DEMO_SUPERVISOR.account, 'ANEWSECRETFORTHESUPERVISOR234567');
      expect(await publishedDemoAccounts(accounts)).toEqual([]);
    });
  });

  it('names the accounts and the commands that disable them, and refuses when other hosts reach the service', () => {
    const choice: StoreChoice = { kind: 'sqlite', file: '/srv/earmark/service.db' };
    const warning = publishedDemoAccountsWarning(['reviewer'], choice);
    expect(warning[0]).toMatch(
      /^WARNING: this store holds the demo account\(s\) "reviewer", enabled with the TOTP secret/,
    );
    expect(warning).toContain(
      '  npm run service -- admin --data /srv/earmark --operator NAME accounts disable reviewer',
    );
    const refusal = publishedDemoAccountsWarning(['reviewer'], choice, outsideReach({ host: '0.0.0.0' }));
    expect(refusal[0]).toMatch(/^Refusing to start: it listens on 0\.0\.0\.0, and the store holds the demo account/);
  });

  it('refuses --demo wherever other hosts reach it: another address, a trusted proxy, TLS', () => {
    expect(demoReachProblem({ host: '127.0.0.1' })).toBeUndefined();
    expect(demoReachProblem({ host: 'localhost' })).toBeUndefined();
    expect(demoReachProblem({ host: '0.0.0.0' })).toMatch(/^Refusing --demo on 0\.0\.0\.0: /);
    expect(demoReachProblem({ host: '127.0.0.1', trustProxyHeader: 'X-Forwarded-For' })).toMatch(
      /^Refusing --demo with --trust-proxy-header: .*a proxy relays other hosts to it/,
    );
    expect(demoReachProblem({ host: '::1', tlsCert: '/etc/earmark/cert.pem' })).toMatch(
      /^Refusing --demo with --tls-cert: /,
    );
  });
});
