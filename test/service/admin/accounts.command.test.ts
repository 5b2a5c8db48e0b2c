import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAccount, DEMO_REVIEWER, DEMO_SUPERVISOR } from '../../../service/seed';
import { adminHarness, blindTo, type AdminHarness } from '../../support/admin-cli';

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

  it('refuses a pseudonym an operator holds, as an audited conflict', async () => {
    const [alice] = await h.query<{ pseudonym: string }>('SELECT pseudonym FROM operators WHERE account = ?', 'alice');
    const pseudonym = alice?.pseudonym ?? '';
    expect(pseudonym).toMatch(/^op-/);
    for (const [name, role] of [
      ['bob', 'reviewer'],
      ['olga', 'operator'],
    ] as const) {
      h.clear();
      expect(await accounts('create', name, '--role', role, '--pseudonym', pseudonym)).toBe(2);
      expect(h.err.join('\n')).toContain(`The pseudonym "${pseudonym}" is taken`);
    }
    expect(await audit()).toEqual([
      { action: 'admin.accounts.create', outcome: 'refused', code: 'conflict', subject: 'bob' },
      { action: 'admin.accounts.create', outcome: 'refused', code: 'conflict', subject: 'olga' },
    ]);
    expect(await h.query('SELECT account FROM accounts WHERE pseudonym = ?', pseudonym)).toEqual([]);
  });

  it('refuses a name another process took after the check, as an audited conflict', async () => {
    h.remove();
    h = await adminHarness('earmark-admin-accounts-race-', { wrapStore: blindTo('carol') });
    // The other process's account, made after this command looked for "carol".
    await h.withCore((core) => addAccount(core, { ...DEMO_REVIEWER, account: 'carol', pseudonym: 'rv-carol' }));
    for (const role of ['reviewer', 'operator']) {
      h.clear();
      expect(await accounts('create', 'carol', '--role', role)).toBe(2);
      expect(h.err.join('\n')).toContain('was taken meanwhile');
      expect(h.out.join('\n')).not.toContain('otpauth://');
    }
    expect(await audit()).toEqual([
      { action: 'admin.accounts.create', outcome: 'refused', code: 'conflict', subject: 'carol' },
      { action: 'admin.accounts.create', outcome: 'refused', code: 'conflict', subject: 'carol' },
    ]);
    expect(await h.query('SELECT pseudonym FROM accounts WHERE account = ?', 'carol')).toEqual([
      { pseudonym: 'rv-carol' },
    ]);
  });
});
