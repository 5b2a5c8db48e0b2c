import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAccount, DEMO_REVIEWER, DEMO_SUPERVISOR } from '../../../service/seed';
import { adminHarness, type AdminHarness } from '../../support/admin-cli';

describe('admin teams', { timeout: 30_000 }, () => {
  let h: AdminHarness;
  /** Runs `admin teams …` as operator `alice` with a fresh code. */
  const teams = (...argv: string[]): Promise<number> => h.run('teams', ...argv);

  beforeEach(async () => {
    h = await adminHarness('earmark-admin-teams-', {
      seed: async (core) => {
        await addAccount(core, DEMO_REVIEWER);
        await addAccount(core, DEMO_SUPERVISOR);
      },
    });
  });
  afterEach(() => {
    h.remove();
  });

  it('creates a team, adds members, makes a supervisor, removes a member, and audits each act', async () => {
    expect(await teams('create', 'north')).toBe(0);
    expect(await teams('add-member', 'north', 'reviewer')).toBe(0);
    expect(await teams('add-member', 'north', 'supervisor')).toBe(0);
    expect(await teams('set-role', 'north', 'supervisor', 'supervisor')).toBe(0);
    h.clear();
    expect(await teams('members', 'north')).toBe(0);
    expect(h.out).toEqual([
      'account\tpseudonym\trole',
      `reviewer\t${DEMO_REVIEWER.pseudonym}\tmember`,
      `supervisor\t${DEMO_SUPERVISOR.pseudonym}\tsupervisor`,
    ]);
    expect(await teams('remove-member', 'north', 'reviewer')).toBe(0);
    expect(await h.query('SELECT account, role FROM team_members')).toEqual([
      { account: 'supervisor', role: 'supervisor' },
    ]);
    expect(
      await h.query(
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
    expect(h.err.join('\n')).toMatch(/not a supervisor account/);
    expect(await h.query('SELECT account, role FROM team_members')).toEqual([{ account: 'reviewer', role: 'member' }]);
    expect(
      await h.query<{ action: string; code: string }>(
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
    expect(h.err.join('\n')).toMatch(/teams set-role TEAM ACCOUNT member\|supervisor/);
  });
});
