/**
 * The admin CLI (`npm run service -- admin …`) in tests: a store in a temporary folder, a clock
 * the test turns, operator `alice` bootstrapped, and each command run as her with a fresh
 * one-time code, its output captured line by line.
 */
import { runAdmin, type AdminIo } from '../../service/admin/cli';
import { totpCode, TOTP_PERIOD_S } from '../../service/auth';
import { createCore, type Core } from '../../service/core';
import type { Repositories, ServiceStore } from '../../service/store/repositories';
import { makeTempDir } from './temp-dir';
import { testStoreOpener } from './test-store';

/** The password of every operator the harness makes. */
export const ADMIN_PASSWORD = 'a long operator password';
/** The operator the harness bootstraps and acts as. */
export const ADMIN_OPERATOR = 'alice';

export type AdminHarness = {
  /** The temporary folder: on SQLite the store is `service.db` in it, on PostgreSQL a database of its own. */
  readonly dir: string;
  /** Lines written to standard output and standard error since the last {@link AdminHarness.clear}. */
  readonly out: string[];
  readonly err: string[];
  /** The clock the CLI reads. */
  now(): number;
  /** Empties `out` and `err`. */
  clear(): void;
  /** Runs `admin GROUP ACTION …` as alice with a fresh code (the clock moves a TOTP step first, as time would). */
  run(...argv: string[]): Promise<number>;
  /** Runs the CLI with exactly these arguments and environment (no operator added). */
  runRaw(argv: readonly string[], env?: NodeJS.ProcessEnv): Promise<number>;
  /** Opens the store as the service would, runs `work`, and closes it. */
  withCore<T>(work: (core: Core) => Promise<T>): Promise<T>;
  /** Reads the store's database directly, read-only, with `?` placeholders on either store. */
  query<T>(sql: string, ...params: readonly (string | number)[]): Promise<T[]>;
  /** Removes the folder. */
  remove(): void;
};

export type AdminHarnessOptions = {
  /** What the store holds before the operator is bootstrapped. */
  readonly seed?: (core: Core) => Promise<void>;
  /** What the CLI opens instead of the store itself (a store that misbehaves as the test needs). */
  readonly wrapStore?: (store: ServiceStore) => ServiceStore;
};

/** Makes a store, seeds it, bootstraps alice and keeps her TOTP secret for the commands to come. */
export async function adminHarness(prefix: string, o: AdminHarnessOptions = {}): Promise<AdminHarness> {
  const tmp = makeTempDir(prefix);
  const openStore = testStoreOpener();
  let t = Date.now();
  const out: string[] = [];
  const err: string[] = [];
  const io = (env: NodeJS.ProcessEnv): AdminIo => ({
    openStore: async (dir) => (o.wrapStore ?? ((store) => store))(await openStore(dir)),
    defaultDataDir: tmp.dir,
    env,
    prompt: () => Promise.reject(new Error('no terminal in tests')),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    now: () => t,
  });
  const withCore = async <T>(work: (core: Core) => Promise<T>): Promise<T> => {
    const core = createCore({ store: await openStore(tmp.dir), now: () => t });
    try {
      return await work(core);
    } finally {
      await core.store.close();
    }
  };
  if (o.seed) {
    await withCore(o.seed);
  }
  const runRaw = (argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<number> => runAdmin(argv, io(env));
  await runRaw(['bootstrap', '--operator', ADMIN_OPERATOR], { EARMARK_OPERATOR_PASSWORD: ADMIN_PASSWORD });
  const secret = /secret=([A-Z2-7]+)/.exec(out.find((l) => l.includes('otpauth://')) ?? '')?.[1];
  if (secret === undefined) {
    throw new Error(`bootstrap printed no TOTP URI: ${err.join('\n')}`);
  }
  const clear = (): void => {
    out.length = 0;
    err.length = 0;
  };
  clear();
  return {
    dir: tmp.dir,
    out,
    err,
    now: () => t,
    clear,
    run: (...argv) => {
      t += TOTP_PERIOD_S * 1000;
      return runRaw(['--operator', ADMIN_OPERATOR, ...argv], {
        EARMARK_OPERATOR_PASSWORD: ADMIN_PASSWORD,
        EARMARK_OPERATOR_TOTP: totpCode(secret, t),
      });
    },
    runRaw,
    withCore,
    query: <T>(sql: string, ...params: readonly (string | number)[]) => openStore.query<T>(tmp.dir, sql, ...params),
    remove: () => tmp.remove(),
  };
}

/** A store whose units of work see its accounts with `change` applied: a test's view of a race. */
export const withTransactionAccounts =
  (change: (accounts: Repositories['accounts']) => Partial<Repositories['accounts']>) =>
  (store: ServiceStore): ServiceStore => ({
    ...store,
    transaction: (work) =>
      store.transaction((tx) => work({ ...tx, accounts: { ...tx.accounts, ...change(tx.accounts) } })),
  });

/**
 * A store whose units of work do not see `name` when they look it up: what a unit of work sees
 * when another process adds that name between its check and its add.
 */
export const blindTo = (name: string): ((store: ServiceStore) => ServiceStore) =>
  withTransactionAccounts((accounts) => ({
    find: (account) => (account === name ? Promise.resolve(undefined) : accounts.find(account)),
  }));
