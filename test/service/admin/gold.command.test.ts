import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAdmin, type AdminIo } from '../../../service/admin/cli';
import { totpCode, TOTP_PERIOD_S } from '../../../service/auth';
import { createCore } from '../../../service/core';
import { addAccount, DEMO_REVIEWER } from '../../../service/seed';
import { addPlainBatch } from '../../support/gold';
import { silenceWav } from '../../support/packages';
import { makeTempDir } from '../../support/temp-dir';
import { testStoreOpener } from '../../support/test-store';

const PASSWORD = 'a long operator password';
const BATCH = 'b-AAAAAAAAAAAA0001';
const REFERENCE = 'read me [CRITICAL:bank_card] slowly';

describe('admin gold', { timeout: 30_000 }, () => {
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
  /** Runs `admin gold …` as operator `alice` with a fresh code. */
  const gold = (...argv: string[]): Promise<number> => {
    t += TOTP_PERIOD_S * 1000;
    return runAdmin(
      ['--operator', 'alice', 'gold', ...argv],
      io({ EARMARK_OPERATOR_PASSWORD: PASSWORD, EARMARK_OPERATOR_TOTP: totpCode(secret, t) }),
    );
  };
  const query = <T>(sql: string): Promise<T[]> => openStore.query<T>(tmp.dir, sql);

  beforeEach(async () => {
    tmp = makeTempDir('earmark-admin-gold-');
    t = Date.now();
    out = [];
    err = [];
    const core = createCore({ store: await openStore(tmp.dir), now: () => t });
    await addAccount(core, DEMO_REVIEWER);
    await addPlainBatch(core, BATCH, 2);
    await core.store.close();
    await runAdmin(['bootstrap', '--operator', 'alice'], io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }));
    secret = /secret=([A-Z2-7]+)/.exec(out.find((l) => l.includes('otpauth://')) ?? '')?.[1] ?? '';
    out = [];
    writeFileSync(join(tmp.dir, 'gold.wav'), silenceWav(300));
  });
  afterEach(() => {
    tmp.remove();
  });

  const add = (...extra: string[]): Promise<number> =>
    gold(
      'add',
      join(tmp.dir, 'gold.wav'),
      '--asr',
      'read me the numbers',
      '--reference',
      REFERENCE,
      '--disposition',
      'transcribed',
      ...extra,
    );

  it('adds, lists, mixes and removes gold clips, auditing each act and printing no reference', async () => {
    expect(await add('--device-type', 'phone', '--wake-word', 'yes')).toBe(0);
    const goldId = /added gold clip (g-[0-9A-Z]{16})/.exec(out[0] ?? '')?.[1] ?? '';
    expect(goldId).not.toBe('');
    expect(await gold('mix', BATCH, goldId)).toBe(0);
    out = [];
    expect(await gold('list')).toBe(0);
    expect(out).toEqual([
      'gold_id\tlocale\tdisposition\tduration_ms\tuses\tcreated\tby\tremoved',
      expect.stringMatching(new RegExp(`^${goldId}\\ten-US\\ttranscribed\\t300\\t1\\t[^\\t]+\\talice\\t-$`)),
    ]);
    expect(await gold('remove', goldId)).toBe(0);
    out = [];
    expect(await gold('list')).toBe(0);
    expect(out).toHaveLength(1);
    expect(await gold('list', '--all')).toBe(0);
    expect(out.at(-1)).toContain(goldId);
    // A removed gold clip is mixed no more.
    expect(await gold('mix', BATCH, goldId)).toBe(1);

    const clips = await query<{ clip_id: string; ordinal: number; details: string }>(
      "SELECT clip_id, ordinal, details FROM batch_clips WHERE batch_id = 'b-AAAAAAAAAAAA0001' ORDER BY ordinal",
    );
    expect(clips.map((c) => c.ordinal)).toEqual([0, 1, 2]);
    const mixed = clips.find((c) => !c.clip_id.startsWith('c-AAAAAAAAAAAA'));
    expect(JSON.parse(mixed?.details ?? '{}')).toEqual({
      id: mixed?.clip_id,
      durationMs: 300,
      codec: 'wav',
      asrText: 'read me the numbers',
      consent: 'granted',
      hints: { deviceType: 'phone', wakeWordDetected: true },
    });
    expect(
      await query("SELECT action, outcome, code FROM audit_events WHERE action LIKE 'admin.gold.%' ORDER BY seq"),
    ).toEqual([
      { action: 'admin.gold.add', outcome: 'ok', code: null },
      { action: 'admin.gold.mix', outcome: 'ok', code: null },
      { action: 'admin.gold.list', outcome: 'ok', code: null },
      { action: 'admin.gold.remove', outcome: 'ok', code: null },
      { action: 'admin.gold.list', outcome: 'ok', code: null },
      { action: 'admin.gold.list', outcome: 'ok', code: null },
      { action: 'admin.gold.mix', outcome: 'refused', code: 'not_found' },
    ]);
    expect([...out, ...err].join('\n')).not.toContain('CRITICAL');
    expect(JSON.stringify(await query('SELECT * FROM audit_events'))).not.toContain('slowly');
  });

  it('refuses a reference whose critical markers a submission could not have, and audits it', async () => {
    expect(
      await gold(
        'add',
        join(tmp.dir, 'gold.wav'),
        '--asr',
        'x',
        '--reference',
        'pay [CRITICAL:iban] now',
        '--disposition',
        'transcribed',
      ),
    ).toBe(1);
    expect(out.join('\n')).toMatch(/"\[CRITICAL:iban\]" is not a critical marker/);
    expect(await add('--locale', 'english')).toBe(1);
    expect(await query('SELECT gold_id FROM gold_clips')).toEqual([]);
    expect(await query("SELECT outcome, code FROM audit_events WHERE action = 'admin.gold.add'")).toEqual([
      { outcome: 'refused', code: 'bad_request' },
      { outcome: 'refused', code: 'bad_request' },
    ]);
  });

  it('gives usage for a missing option or an unknown action', async () => {
    expect(await gold('add', join(tmp.dir, 'gold.wav'), '--asr', 'x')).toBe(2);
    expect(err.join('\n')).toContain('--asr, --reference and --disposition are needed');
    expect(await gold('mix', BATCH)).toBe(2);
    expect(await gold('polish')).toBe(2);
  });
});
