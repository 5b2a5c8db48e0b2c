import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAdmin, type AdminIo } from '../../../service/admin/cli';
import { totpCode, TOTP_PERIOD_S } from '../../../service/auth';
import { makeTempDir } from '../../support/temp-dir';
import { testStoreOpener } from '../../support/test-store';

const PASSWORD = 'a long operator password';

describe('admin escalations', { timeout: 30_000 }, () => {
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
  /** Runs `admin escalations …` as operator `alice` with a fresh code. */
  const escalations = (...argv: string[]): Promise<number> => {
    t += TOTP_PERIOD_S * 1000;
    return runAdmin(
      ['--operator', 'alice', 'escalations', ...argv],
      io({ EARMARK_OPERATOR_PASSWORD: PASSWORD, EARMARK_OPERATOR_TOTP: totpCode(secret, t) }),
    );
  };
  const audit = () =>
    openStore.query<{ action: string; outcome: string; detail: string }>(
      tmp.dir,
      "SELECT action, outcome, detail FROM audit_events WHERE action LIKE 'admin.escalations.%' ORDER BY seq",
    );

  beforeEach(async () => {
    tmp = makeTempDir('earmark-admin-escalations-');
    t = Date.now();
    out = [];
    err = [];
    await runAdmin(['bootstrap', '--operator', 'alice'], io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }));
    secret = /secret=([A-Z2-7]+)/.exec(out.find((l) => l.includes('otpauth://')) ?? '')?.[1] ?? '';
    out = [];
  });
  afterEach(() => {
    tmp.remove();
  });

  it('shows the defaults, then sets the urgent time and the referral targets, audited', async () => {
    expect(await escalations('settings')).toBe(0);
    expect(out).toEqual(['urgent after\t30 min', 'referral targets\tTrust & Safety | Legal | Welfare']);
    expect(await escalations('set-urgent-after', '15')).toBe(0);
    expect(await escalations('set-referrals', 'Welfare', 'Legal', 'Child Safety Team')).toBe(0);
    out = [];
    expect(await escalations('settings')).toBe(0);
    expect(out).toEqual(['urgent after\t15 min', 'referral targets\tWelfare | Legal | Child Safety Team']);
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
    out = [];
    await escalations('settings');
    expect(out[0]).toBe('urgent after\t30 min');
  });
});
