import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAdmin, type AdminIo } from '../../../service/admin/cli';
import { totpCode, TOTP_PERIOD_S } from '../../../service/auth';
import { createCore } from '../../../service/core';
import { addAccount, DEMO_REVIEWER, DEMO_SUPERVISOR } from '../../../service/seed';
import { makeTempDir } from '../../support/temp-dir';
import { testStoreOpener } from '../../support/test-store';

const PASSWORD = 'a long operator password';

describe('admin teams', { timeout: 30_000 }, () => {
  const openStore = testStoreOpener();
  let tmp: ReturnType<typeof makeTempDir>;
  let t: number;
  let out: string[];
  let err: string[];
  let secret: string;

  const io = (env: NodeJS.ProcessEnv = {}): AdminIo => ({
    openStore: (dir) => openStore(dir),
    defaultDataDir: tmp.dir,
    env,
    prompt: () => Promise.reject(new Error('no terminal in tests')),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    now: () => t,
  });
  /** Runs `admin teams …` as operator `alice` with a fresh code. */
  const teams = (...argv: string[]): Promise<number> => {
    t += TOTP_PERIOD_S * 1000;
    return runAdmin(
      ['--operator', 'alice', 'teams', ...argv],
      io({ EARMARK_OPERATOR_PASSWORD: PASSWORD, EARMARK_OPERATOR_TOTP: totpCode(secret, t) }),
    );
  };
  const query = <T>(sql: string): Promise<T[]> => openStore.query<T>(tmp.dir, sql);

  beforeEach(async () => {
    tmp = makeTempDir('earmark-admin-teams-');
    t = Date.now();
    out = [];
    err = [];
    const core = createCore({ store: await openStore(tmp.dir), now: () => t });
    await addAccount(core, DEMO_REVIEWER);
    await addAccount(core, DEMO_SUPERVISOR);
    await core.store.close();
    await runAdmin(['bootstrap', '--operator', 'alice'], io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }));
    secret = /secret=([A-Z2-7]+)/.exec(out.find((l) => l.includes('otpauth://')) ?? '')?.[1] ?? '';
    out = [];
  });
  afterEach(() => {
    tmp.remove();
  });

  it('creates a team, adds members, makes a supervisor, removes a member, and audits each act', async () => {
    expect(await teams('create', 'north')).toBe(0);
    expect(await teams('add-member', 'north', 'reviewer')).toBe(0);
    expect(await teams('add-member', 'north', 'supervisor')).toBe(0);
    expect(await teams('set-role', 'north', 'supervisor', 'supervisor')).toBe(0);
    out = [];
    expect(await teams('members', 'north')).toBe(0);
    expect(out).toEqual([
      'account\tpseudonym\trole',
      `reviewer\t${DEMO_REVIEWER.pseudonym}\tmember`,
      `supervisor\t${DEMO_SUPERVISOR.pseudonym}\tsupervisor`,
    ]);
    expect(await teams('remove-member', 'north', 'reviewer')).toBe(0);
    expect(await query('SELECT account, role FROM team_members')).toEqual([
      { account: 'supervisor', role: 'supervisor' },
    ]);
    expect(
      await query(
        "SELECT actor, source, action, subject, outcome FROM audit_events WHERE action LIKE 'admin.teams.%' ORDER BY seq",
      ),
    ).toEqual(
      ['create', 'add-member', 'add-member', 'set-role', 'members', 'remove-member'].map((a) => ({
        actor: 'alice',
        source: 'cli',
        action: `admin.teams.${a}`,
        subject: 'north',
        outcome: 'ok',
      })),
    );
  });

  it('refuses a reviewer as supervisor, an unknown account or team, and a duplicate, auditing each refusal', async () => {
    await teams('create', 'north');
    await teams('add-member', 'north', 'reviewer');
    expect(await teams('set-role', 'north', 'reviewer', 'supervisor')).toBe(1);
    expect(await teams('add-member', 'north', 'nobody')).toBe(1);
    expect(await teams('add-member', 'south', 'reviewer')).toBe(1);
    expect(await teams('add-member', 'north', 'reviewer')).toBe(1);
    expect(await teams('create', 'north')).toBe(1);
    expect(await teams('create', 'Not A Name')).toBe(1);
    expect(err.join('\n')).toMatch(/not a supervisor account/);
    expect(await query('SELECT account, role FROM team_members')).toEqual([{ account: 'reviewer', role: 'member' }]);
    expect(
      await query<{ action: string; code: string }>(
        "SELECT action, code FROM audit_events WHERE outcome = 'refused' AND action LIKE 'admin.teams.%' ORDER BY seq",
      ),
    ).toEqual([
      { action: 'admin.teams.set-role', code: 'conflict' },
      { action: 'admin.teams.add-member', code: 'not_found' },
      { action: 'admin.teams.add-member', code: 'not_found' },
      { action: 'admin.teams.add-member', code: 'conflict' },
      { action: 'admin.teams.create', code: 'conflict' },
      { action: 'admin.teams.create', code: 'bad_request' },
    ]);
  });

  it('answers an unknown action or a bad role with its usage', async () => {
    expect(await teams('rename', 'north')).toBe(2);
    await teams('create', 'north');
    expect(await teams('set-role', 'north', 'reviewer', 'boss')).toBe(2);
    expect(err.join('\n')).toMatch(/teams set-role TEAM ACCOUNT member\|supervisor/);
  });
});
