import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAccount, DEMO_REVIEWER, DEMO_SUPERVISOR } from '../../../service/seed';
import { adminHarness, type AdminHarness } from '../../support/admin-cli';

describe('admin accounts', { timeout: 60_000 }, () => {
  let h: AdminHarness;
  const accounts = (...argv: string[]): Promise<number> => h.run('accounts', ...argv);
  const audit = (): Promise<{ action: string; outcome: string; code: string | null; subject: string | null }[]> =>
    h.query(
      "SELECT action, outcome, code, subject FROM audit_events WHERE action LIKE 'admin.accounts.%' ORDER BY seq",
    );

  beforeEach(async () => {
    h = await adminHarness('earmark-admin-accounts-', {
      seed: async (core) => {
        await addAccount(core, DEMO_REVIEWER);
        await addAccount(core, DEMO_SUPERVISOR);
      },
    });
  });
  afterEach(() => {
    h.remove();
  });

  it('resets a TOTP secret, printing the new enrolment URI once and no secret in the audit trail', async () => {
    expect(await accounts('reset-totp', 'reviewer')).toBe(0);
    const uri = h.out.find((l) => l.includes('otpauth://')) ?? '';
    const secret = /secret=([A-Z2-7]+)/.exec(uri)?.[1] ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(secret).not.toBe(DEMO_REVIEWER.totpSecret);
    expect(await h.query('SELECT totp_secret FROM accounts WHERE account = ?', 'reviewer')).toEqual([
      { totp_secret: secret },
    ]);
    expect(await accounts('reset-totp', 'nobody')).toBe(2);
    expect(await audit()).toEqual([
      { action: 'admin.accounts.reset_totp', outcome: 'ok', code: null, subject: 'reviewer' },
      { action: 'admin.accounts.reset_totp', outcome: 'refused', code: 'not_found', subject: 'nobody' },
    ]);
    expect(JSON.stringify(await h.query('SELECT * FROM audit_events'))).not.toContain(secret);
  });

  it('changes roles, but demotes no team supervisor, and lists accounts without secrets', async () => {
    expect(await accounts('set-role', 'reviewer', 'supervisor')).toBe(0);
    expect(await h.run('teams', 'create', 'north')).toBe(0);
    expect(await h.run('teams', 'add-member', 'north', 'supervisor')).toBe(0);
    expect(await h.run('teams', 'set-role', 'north', 'supervisor', 'supervisor')).toBe(0);
    expect(await accounts('set-role', 'supervisor', 'reviewer')).toBe(2);
    expect(h.err.join('\n')).toContain('supervises team "north"');
    expect(await accounts('set-role', 'alice', 'reviewer')).toBe(2);
    expect(await accounts('set-role', 'reviewer', 'operator')).toBe(2);
    h.clear();
    expect(await accounts('list')).toBe(0);
    expect(h.out).toEqual([
      'account\tpseudonym\trole\tmax_devices\tdisabled',
      expect.stringMatching(/^alice\top-[0-9a-f]+\toperator\t0\t-$/),
      `reviewer\t${DEMO_REVIEWER.pseudonym}\tsupervisor\t1\t-`,
      `supervisor\t${DEMO_SUPERVISOR.pseudonym}\tsupervisor\t1\t-`,
    ]);
    expect((await audit()).map((a) => [a.action, a.outcome, a.code])).toEqual([
      ['admin.accounts.set_role', 'ok', null],
      ['admin.accounts.set_role', 'refused', 'conflict'],
      ['admin.accounts.set_role', 'refused', 'not_found'],
      ['admin.accounts.list', 'ok', null],
    ]);
  });
});
