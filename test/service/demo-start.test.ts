/**
 * `npm run service` and the demo accounts, whose passwords and TOTP secrets the README publishes:
 * a service seeds them only when started with `--demo`, a demo service is reached from this host
 * only and starts only on a store holding nothing but the demo seed, a service without `--demo`
 * on an empty store starts with no account and says how to make the first operator, and one on a
 * store where the demo accounts keep their published secret warns, or refuses to start where
 * other hosts reach it. On both stores (test/support/test-store.ts).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../service/core';
import { addAccount, DEMO_REVIEWER, DEMO_SUPERVISOR, seedDemo } from '../../service/seed';
import { runServiceToExit, startServiceProcess, type ServiceProcess } from '../support/service-process';
import { makeTempDir } from '../support/temp-dir';
import { newTestStoreTarget, openTestStoreAt, runOnTestStore, type TestStoreTarget } from '../support/test-store';

/** A process starts under tsx, compiling first: slow on a loaded machine, and only a hang should fail. */
const START_LIMIT_MS = 180_000;

describe('service start and the demo accounts', () => {
  let tmp: ReturnType<typeof makeTempDir> | undefined;
  let proc: ServiceProcess | undefined;
  afterEach(async () => {
    await proc?.stop();
    proc = undefined;
    tmp?.remove();
    tmp = undefined;
  });

  const newStore = async (): Promise<{ dir: string; target: TestStoreTarget; args: string[] }> => {
    tmp = makeTempDir('earmark-demo-start-');
    const target = await newTestStoreTarget(join(tmp.dir, 'service.db'));
    return { dir: tmp.dir, target, args: 'pgUrl' in target ? ['--database', target.pgUrl] : [] };
  };

  const accountsAt = async (target: TestStoreTarget): Promise<string[]> => {
    const store = await openTestStoreAt(target);
    try {
      return (await store.accounts.list()).map((a) => a.account);
    } finally {
      await store.close();
    }
  };

  it(
    'seeds no account without --demo, prints no demo secret, and says how to make the first operator',
    async () => {
      const { dir, target, args } = await newStore();
      proc = await startServiceProcess(dir, 0, args);
      const printed = await proc.printed(/Point the app at it/);
      expect(printed).toMatch(/no operator yet/);
      expect(printed).toMatch(/npm run service -- admin (--data \S+|--database URL) bootstrap --operator NAME/);
      for (const secret of [DEMO_REVIEWER.password, DEMO_REVIEWER.totpSecret, DEMO_SUPERVISOR.password]) {
        expect(printed).not.toContain(secret);
      }
      expect(printed).not.toMatch(/enrolment code for/);
      expect(await accountsAt(target)).toEqual([]);
    },
    START_LIMIT_MS,
  );

  it(
    'seeds the demo accounts with --demo on loopback and prints an enrolment code for the demo reviewer',
    async () => {
      const { dir, target, args } = await newStore();
      proc = await startServiceProcess(dir, 0, ['--demo', ...args]);
      const printed = await proc.printed(/Point the app at it/);
      expect(printed).toMatch(/demo data seeded/);
      expect(printed).toContain(`password "${DEMO_REVIEWER.password}"`);
      expect(printed).toMatch(/enrolment code for "reviewer" .*: [A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/m);
      expect(printed).not.toMatch(/no operator yet/);
      expect(await accountsAt(target)).toEqual([DEMO_REVIEWER.account, DEMO_SUPERVISOR.account]);
    },
    START_LIMIT_MS,
  );

  it(
    'refuses --demo where other hosts reach it (another address, a trusted proxy, TLS), before touching the store',
    async () => {
      const { dir, target, args } = await newStore();
      const refusals: [string[], string][] = [
        ...['0.0.0.0', '::', '192.0.2.10'].map((host): [string[], string] => [
          ['--host', host, '--insecure-no-tls'],
          `on ${host}`,
        ]),
        [['--trust-proxy-header', 'X-Forwarded-For'], 'with --trust-proxy-header'],
        [['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem')], 'with --tls-cert'],
      ];
      for (const [flags, what] of refusals) {
        const run = await runServiceToExit(dir, ['--demo', ...flags, ...args]);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(
          `Refusing --demo ${what}: the demo accounts' passwords and TOTP secrets are public`,
        );
        expect(run.stdout).not.toContain(DEMO_REVIEWER.password);
      }
      // Nothing was made: no SQLite file, no table in the PostgreSQL database.
      if ('pgUrl' in target) {
        const tables = 'SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = ?';
        expect(await runOnTestStore(target, tables, ['public'])).toEqual([{ n: 0 }]);
      } else {
        expect(existsSync(join(dir, 'service.db'))).toBe(false);
      }
    },
    START_LIMIT_MS,
  );

  it(
    'refuses --demo on a store holding an operator or a real "reviewer", writing nothing',
    async () => {
      const { dir, target } = await newStore();
      const realSecret = 'REALREVIEWERSECRET234567ABCDEFGH';
      const core = createCore({ store: await openTestStoreAt(target) });
      await addAccount(core, { ...DEMO_REVIEWER, totpSecret: realSecret });
      await core.store.close();
      const held = async () => ({
        accounts: await runOnTestStore(target, 'SELECT account, totp_secret FROM accounts', []),
        operators: await runOnTestStore(target, 'SELECT account FROM operators', []),
        audit: await runOnTestStore(target, 'SELECT count(*) AS n FROM audit_events', []),
        codes: await runOnTestStore(target, 'SELECT account FROM enrolment_codes', []),
      });
      const before = await held();
      // On PostgreSQL the store is named the way a shell profile would: by EARMARK_DATABASE_URL.
      const env = 'pgUrl' in target ? { EARMARK_DATABASE_URL: target.pgUrl } : {};
      const refused = await runServiceToExit(dir, ['--demo'], env);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        'Refusing --demo: the store holds an account "reviewer" that is not the demo one',
      );
      expect(refused.stdout + refused.stderr).not.toContain(DEMO_REVIEWER.password);
      expect(await held()).toEqual(before);

      const again = createCore({ store: await openTestStoreAt(target) });
      await addAccount(again, { ...DEMO_SUPERVISOR, account: 'olga', pseudonym: 'op-olga', role: 'operator' });
      await again.store.close();
      const withOperator = await held();
      const second = await runServiceToExit(dir, ['--demo'], env);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain('Refusing --demo: the store holds 1 operator(s), an account "reviewer"');
      expect(await held()).toEqual(withOperator);
      expect(withOperator.codes).toEqual([]);
    },
    START_LIMIT_MS,
  );

  it(
    'warns at start while the demo accounts keep their published secret, and refuses where other hosts reach it',
    async () => {
      const { dir, target, args } = await newStore();
      const core = createCore({ store: await openTestStoreAt(target) });
      await seedDemo(core, resolve(__dirname, '../../resources'));
      await core.store.close();

      const refused = await runServiceToExit(dir, ['--host', '0.0.0.0', '--insecure-no-tls', ...args]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        'Refusing to start: it listens on 0.0.0.0, and the store holds the demo account(s) "reviewer", "supervisor"',
      );
      expect(refused.stdout).not.toMatch(/Earmark reference service on/);

      proc = await startServiceProcess(dir, 0, ['--log-format', 'json', ...args]);
      const store = 'pgUrl' in target ? '--database URL' : `--data ${dir}`;
      await vi.waitFor(() => {
        expect(proc?.stderr()).toContain('WARNING: this store holds the demo account(s) "reviewer", "supervisor"');
        expect(proc?.stderr()).toContain(`npm run service -- admin ${store} --operator NAME accounts disable reviewer`);
      });
      const logged = (await proc.printed(/demo accounts enabled/))
        .split('\n')
        .filter((l) => l.includes('demo accounts enabled'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(logged).toEqual([
        expect.objectContaining({
          level: 'warn',
          msg: 'demo accounts enabled with their published secrets',
          accounts: 'reviewer,supervisor',
          refused: false,
        }),
      ]);
    },
    START_LIMIT_MS,
  );
});
