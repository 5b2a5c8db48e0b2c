import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminHarness, type AdminHarness } from '../../support/admin-cli';

describe('admin escalations', { timeout: 30_000 }, () => {
  let h: AdminHarness;
  /** Runs `admin escalations …` as operator `alice` with a fresh code. */
  const escalations = (...argv: string[]): Promise<number> => h.run('escalations', ...argv);
  const audit = () =>
    h.query<{ action: string; outcome: string; detail: string }>(
      "SELECT action, outcome, detail FROM audit_events WHERE action LIKE 'admin.escalations.%' ORDER BY seq",
    );

  beforeEach(async () => {
    h = await adminHarness('earmark-admin-escalations-');
  });
  afterEach(() => {
    h.remove();
  });

  it('shows the defaults, then sets the urgent time and the referral targets, audited', async () => {
    expect(await escalations('settings')).toBe(0);
    expect(h.out).toEqual(['urgent after\t30 min', 'referral targets\tTrust & Safety | Legal | Welfare']);
    expect(await escalations('set-urgent-after', '15')).toBe(0);
    expect(await escalations('set-referrals', 'Welfare', 'Legal', 'Child Safety Team')).toBe(0);
    h.clear();
    expect(await escalations('settings')).toBe(0);
    expect(h.out).toEqual(['urgent after\t15 min', 'referral targets\tWelfare | Legal | Child Safety Team']);
    expect((await audit()).map((a) => [a.action, a.outcome])).toEqual([
      ['admin.escalations.settings', 'ok'],
      ['admin.escalations.set-urgent-after', 'ok'],
      ['admin.escalations.set-referrals', 'ok'],
      ['admin.escalations.settings', 'ok'],
    ]);
  });

  it('refuses a bad urgent time or a repeated target, and audits the refusal', async () => {
    expect(await escalations('set-urgent-after', 'soon')).toBe(2);
    expect(await escalations('set-urgent-after', '2000')).not.toBe(0);
    expect(await escalations('set-referrals', 'Legal', 'Legal')).not.toBe(0);
    expect((await audit()).map((a) => [a.action, a.outcome])).toEqual([
      ['admin.escalations.set-urgent-after', 'refused'],
      ['admin.escalations.set-referrals', 'refused'],
    ]);
    h.clear();
    await escalations('settings');
    expect(h.out[0]).toBe('urgent after\t30 min');
  });
});
