/**
 * `npm run service` and the demo accounts, whose passwords and TOTP secrets the README publishes:
 * a service seeds them only when started with `--demo`, a demo service listens on loopback only,
 * and a service without `--demo` on an empty store starts with no account and says how to make
 * the first operator. On both stores (test/support/test-store.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_REVIEWER, DEMO_SUPERVISOR } from '../../service/seed';
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
    'refuses --demo on an address other hosts reach, before touching the store',
    async () => {
      const { dir, target, args } = await newStore();
      for (const host of ['0.0.0.0', '::', '192.0.2.10']) {
        const run = await runServiceToExit(dir, ['--demo', '--host', host, '--insecure-no-tls', ...args]);
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(
          `Refusing --demo on ${host}: the demo accounts' passwords and TOTP secrets are public`,
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
});
