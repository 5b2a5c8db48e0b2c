import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAccount, DEMO_REVIEWER } from '../../../service/seed';
import { adminHarness, type AdminHarness } from '../../support/admin-cli';
import { addPlainBatch } from '../../support/gold';
import { silenceWav } from '../../support/packages';

const BATCH = 'b-AAAAAAAAAAAA0001';
const REFERENCE = 'read me [CRITICAL:bank_card] slowly';

describe('admin gold', { timeout: 30_000 }, () => {
  let h: AdminHarness;
  /** Runs `admin gold …` as operator `alice` with a fresh code. */
  const gold = (...argv: string[]): Promise<number> => h.run('gold', ...argv);

  beforeEach(async () => {
    h = await adminHarness('earmark-admin-gold-', {
      seed: async (core) => {
        await addAccount(core, DEMO_REVIEWER);
        await addPlainBatch(core, BATCH, 2);
      },
    });
    writeFileSync(join(h.dir, 'gold.wav'), silenceWav(300));
  });
  afterEach(() => {
    h.remove();
  });

  const add = (...extra: string[]): Promise<number> =>
    gold(
      'add',
      join(h.dir, 'gold.wav'),
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
    const goldId = /added gold clip (g-[0-9A-Z]{16})/.exec(h.out[0] ?? '')?.[1] ?? '';
    expect(goldId).not.toBe('');
    expect(await gold('mix', BATCH, goldId)).toBe(0);
    h.clear();
    expect(await gold('list')).toBe(0);
    expect(h.out).toEqual([
      'gold_id\tlocale\tdisposition\tduration_ms\tuses\tcreated\tby\tremoved',
      expect.stringMatching(new RegExp(`^${goldId}\\ten-US\\ttranscribed\\t300\\t1\\t[^\\t]+\\talice\\t-$`)),
    ]);
    expect(await gold('remove', goldId)).toBe(0);
    h.clear();
    expect(await gold('list')).toBe(0);
    expect(h.out).toHaveLength(1);
    expect(await gold('list', '--all')).toBe(0);
    expect(h.out.at(-1)).toContain(goldId);
    // A removed gold clip is mixed no more.
    expect(await gold('mix', BATCH, goldId)).toBe(1);

    const clips = await h.query<{ clip_id: string; ordinal: number; details: string }>(
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
      await h.query("SELECT action, outcome, code FROM audit_events WHERE action LIKE 'admin.gold.%' ORDER BY seq"),
    ).toEqual([
      { action: 'admin.gold.add', outcome: 'ok', code: null },
      { action: 'admin.gold.mix', outcome: 'ok', code: null },
      { action: 'admin.gold.list', outcome: 'ok', code: null },
      { action: 'admin.gold.remove', outcome: 'ok', code: null },
      { action: 'admin.gold.list', outcome: 'ok', code: null },
      { action: 'admin.gold.list', outcome: 'ok', code: null },
      { action: 'admin.gold.mix', outcome: 'refused', code: 'not_found' },
    ]);
    expect([...h.out, ...h.err].join('\n')).not.toContain('CRITICAL');
    expect(JSON.stringify(await h.query('SELECT * FROM audit_events'))).not.toContain('slowly');
  });

  it('refuses a reference whose critical markers a submission could not have, and audits it', async () => {
    expect(
      await gold(
        'add',
        join(h.dir, 'gold.wav'),
        '--asr',
        'x',
        '--reference',
        'pay [CRITICAL:iban] now',
        '--disposition',
        'transcribed',
      ),
    ).toBe(1);
    expect(h.out.join('\n')).toMatch(/"\[CRITICAL:iban\]" is not a critical marker/);
    expect(await add('--locale', 'english')).toBe(1);
    expect(await h.query('SELECT gold_id FROM gold_clips')).toEqual([]);
    expect(await h.query("SELECT outcome, code FROM audit_events WHERE action = 'admin.gold.add'")).toEqual([
      { outcome: 'refused', code: 'bad_request' },
      { outcome: 'refused', code: 'bad_request' },
    ]);
  });

  it('gives usage for a missing option or an unknown action', async () => {
    expect(await gold('add', join(h.dir, 'gold.wav'), '--asr', 'x')).toBe(2);
    expect(h.err.join('\n')).toContain('--asr, --reference and --disposition are needed');
    expect(await gold('mix', BATCH)).toBe(2);
    expect(await gold('polish')).toBe(2);
  });
});
