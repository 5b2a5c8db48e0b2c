/**
 * `npm run service -- admin [--data DIR | --database URL] --operator NAME GROUP ACTION …`:
 * administration on the service host, against its store, as a named operator. Each group of actions is a module of
 * its own (./*.command.ts) listed in {@link groups}; every action is audited with source `cli`.
 */
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../core';
import { HttpError } from '../http';
import type { ServiceStore } from '../store/repositories';
import { accountsGroup } from './accounts.command';
import { auditGroup } from './audit.command';
import { batchesGroup } from './batches.command';
import { bootstrap } from './bootstrap.command';
import { clipsGroup } from './clips.command';
import { UsageError, type AdminGroup } from './command';
import { OperatorAuthError, PASSWORD_ENV, readSecrets, signInOperator, TOTP_ENV, type Prompt } from './credentials';
import { devicesGroup } from './devices.command';
import { enrolmentCodesGroup } from './enrolment-codes.command';
import { escalationsGroup } from './escalations.command';
import { exportGroup } from './export.command';
import { goldGroup } from './gold.command';
import { restoreNoticeGroup } from './restore-notice.command';
import { teamsGroup } from './teams.command';
import { DATABASE_URL_ENV } from '../store/open-service-store';

export type AdminIo = {
  /**
   * The store to act on, opened by the caller from `--data` or `--database` (undefined when not
   * given: the caller may take it from the environment).
   */
  readonly openStore: (dataDir: string, database: string | undefined) => ServiceStore | Promise<ServiceStore>;
  readonly defaultDataDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly prompt: Prompt;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** The clock; tests turn it. */
  readonly now?: () => number;
};

const groups = (env: NodeJS.ProcessEnv): readonly AdminGroup[] => [
  devicesGroup,
  accountsGroup(env),
  enrolmentCodesGroup,
  auditGroup,
  clipsGroup,
  restoreNoticeGroup,
  batchesGroup,
  teamsGroup,
  escalationsGroup,
  goldGroup,
  exportGroup,
];

export function adminUsage(env: NodeJS.ProcessEnv = {}): string {
  return [
    'usage: npm run service -- admin [--data DIR | --database URL] --operator NAME GROUP ACTION [ARGS]',
    '       npm run service -- admin [--data DIR | --database URL] bootstrap --operator NAME',
    `--database postgres://… (or ${DATABASE_URL_ENV}) acts on a PostgreSQL store; otherwise service.db in --data.`,
    `The operator's password and current one-time code come from ${PASSWORD_ENV} and ${TOTP_ENV}`,
    'when set (for scripts), otherwise from a prompt on the terminal (the password is not echoed).',
    'bootstrap creates the first operator only while none exists, and prints its TOTP URI once.',
    ...groups(env).flatMap((g) => g.usage.map((line) => `  ${line}`)),
  ].join('\n');
}

/** Runs one admin command; returns the exit code. */
export async function runAdmin(argv: readonly string[], io: AdminIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: false,
      allowPositionals: true,
      options: {
        data: { type: 'string', default: io.defaultDataDir },
        database: { type: 'string' },
        operator: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${adminUsage(io.env)}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [groupName, action] = positionals;
  if (values.help === true || groupName === undefined) {
    io.out(adminUsage(io.env));
    return values.help === true ? 0 : 2;
  }
  const operator = typeof values.operator === 'string' ? values.operator : undefined;
  const dataDir = typeof values.data === 'string' ? values.data : io.defaultDataDir;
  const database = typeof values.database === 'string' ? values.database : undefined;
  // Everything after the group and action, minus the CLI's own options.
  const rest = restArgs(argv, groupName, action);
  const group = groups(io.env).find((g) => g.name === groupName);
  if (groupName !== 'bootstrap' && !group) {
    io.err(`Unknown group "${groupName}".\n${adminUsage(io.env)}`);
    return 2;
  }
  if (!operator) {
    io.err(`--operator NAME is required.\n${adminUsage(io.env)}`);
    return 2;
  }
  const core: Core = createCore({ store: await io.openStore(dataDir, database), ...(io.now ? { now: io.now } : {}) });
  try {
    if (groupName === 'bootstrap') {
      return await bootstrap(core, operator, io.env, io.prompt, io.out);
    }
    const { password, totp } = await readSecrets(io.env, io.prompt);
    const actor = await signInOperator(core, operator, password, totp);
    return await (group as AdminGroup).run({ core, actor, out: io.out, err: io.err }, action, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n${(group?.usage ?? []).map((l) => `  ${l}`).join('\n')}`);
      return 2;
    }
    if (error instanceof OperatorAuthError || error instanceof HttpError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  } finally {
    await core.store.close();
  }
}

/** The arguments after GROUP and ACTION, without the CLI's own options and their values. */
const OWN_OPTIONS: readonly string[] = ['--data', '--database', '--operator'];

function restArgs(argv: readonly string[], group: string, action: string | undefined): string[] {
  const out: string[] = [];
  let seenGroup = false;
  let seenAction = action === undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i] as string;
    if (OWN_OPTIONS.includes(a)) {
      i += 1;
      continue;
    }
    if (OWN_OPTIONS.some((o) => a.startsWith(`${o}=`))) {
      continue;
    }
    if (!seenGroup && a === group) {
      seenGroup = true;
      continue;
    }
    if (seenGroup && !seenAction && a === action) {
      seenAction = true;
      continue;
    }
    if (seenGroup && seenAction) {
      out.push(a);
    }
  }
  return out;
}
