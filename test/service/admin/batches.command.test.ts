import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAccount, DEMO_REVIEWER, DEMO_SUPERVISOR } from '../../../service/seed';
import { adminHarness, type AdminHarness } from '../../support/admin-cli';
import { testBatchId, testClipId } from '../../support/ids';
import { silenceWav } from '../../support/packages';

const BATCH = testBatchId(1);
const HEADER = 'clip_id\tfile\tasr_text\tconsent\tlocale\tdomain';

describe('admin batches', { timeout: 60_000 }, () => {
  let h: AdminHarness;
  let audio: string;
  let tsv: string;
  const batches = (...argv: string[]): Promise<number> => h.run('batches', ...argv);
  const writeList = (...rows: string[]): void => {
    writeFileSync(tsv, `${[HEADER, ...rows].join('\n')}\n`);
  };
  const audit = (): Promise<{ action: string; outcome: string; code: string | null; subject: string | null }[]> =>
    h.query("SELECT action, outcome, code, subject FROM audit_events WHERE action LIKE 'admin.batches.%' ORDER BY seq");
  const create = (...extra: string[]): Promise<number> =>
    batches('create', '--audio', audio, '--clips', tsv, '--assign-to', 'reviewer', ...extra);

  beforeEach(async () => {
    h = await adminHarness('earmark-admin-batches-', {
      seed: async (core) => {
        await addAccount(core, DEMO_REVIEWER);
        await addAccount(core, DEMO_SUPERVISOR);
      },
    });
    audio = join(h.dir, 'audio');
    tsv = join(h.dir, 'clips.tsv');
    mkdirSync(audio);
    writeFileSync(join(audio, 'one.wav'), silenceWav(300));
    writeFileSync(join(audio, 'two.wav'), silenceWav(500));
  });
  afterEach(() => {
    h.remove();
  });

  it('creates a batch from a folder and a clip list, assigned and dated, audited', async () => {
    writeList(
      `${testClipId(1)}\tone.wav\tplay some jazz\tgranted\ten-US\tmusic`,
      `${testClipId(2)}\ttwo.wav\twhat time is it\tgranted\ten-US\t`,
      `${testClipId(3)}\tgone.wav\twhatever\twithdrawn\ten-US\t`,
    );
    expect(await create('--batch-id', BATCH, '--expires-in-days', '7')).toBe(0);
    expect(h.out).toEqual([`created batch ${BATCH}: 3 clips (1 withdrawn, no audio kept) for "reviewer"`]);
    const [batch] = await h.query<{ assigned_to: string; locale: string; created_at: number; expires_at: number }>(
      'SELECT assigned_to, locale, created_at, expires_at FROM batches',
    );
    expect(batch?.assigned_to).toBe('reviewer');
    expect(batch?.locale).toBe('en-US');
    expect((batch?.expires_at ?? 0) - (batch?.created_at ?? 0)).toBe(7 * 86_400_000);
    const clips = await h.query<{ clip_id: string; details: string; bytes: number | null }>(
      'SELECT clip_id, details, length(audio) AS bytes FROM batch_clips ORDER BY ordinal',
    );
    expect(clips.map((c) => [c.clip_id, c.bytes])).toEqual([
      [testClipId(1), silenceWav(300).length],
      [testClipId(2), silenceWav(500).length],
      [testClipId(3), null],
    ]);
    expect(JSON.parse(clips[0]?.details ?? '{}')).toEqual({
      id: testClipId(1),
      asrText: 'play some jazz',
      consent: 'granted',
      hints: { domain: 'music' },
      durationMs: 300,
      codec: 'wav',
    });
    expect(JSON.parse(clips[2]?.details ?? '{}')).toEqual({ id: testClipId(3), consent: 'withdrawn' });
    expect(await audit()).toEqual([{ action: 'admin.batches.create', outcome: 'ok', code: null, subject: BATCH }]);
  });

  it('names the file and line of every bad row, and stores nothing of a refused list', async () => {
    writeList(
      `${testClipId(1)}\tone.wav\tfine\tgranted\ten-US\t`,
      `clip-7\tone.wav\tshort id\tgranted\ten-US\t`,
      `${testClipId(3)}\tmissing.wav\tno audio\tgranted\ten-US\t`,
      `${testClipId(4)}\ttwo.wav\tcontact\tgranted\ten-US\tjane.doe@example.com`,
    );
    expect(await create()).toBe(1);
    const said = h.out.join('\n');
    expect(said).toContain(`${tsv}: line 3: clip_id "clip-7" is refused`);
    expect(said).toContain(`${tsv}: line 5: domain`);
    expect(said).toMatch(/e-mail/);
    // Rows are checked before any audio is read: fix the list, then the folder.
    writeList(
      `${testClipId(1)}\tone.wav\tfine\tgranted\ten-US\t`,
      `${testClipId(3)}\tmissing.wav\tno audio\tgranted\ten-US\t`,
    );
    h.clear();
    expect(await create()).toBe(1);
    expect(h.out.join('\n')).toContain(`${tsv}: line 3: file "missing.wav" does not exist`);
    expect(
      await batches('create', '--audio', audio, '--clips', join(h.dir, 'nope.tsv'), '--assign-to', 'reviewer'),
    ).toBe(1);
    expect(h.out.at(-1)).toMatch(/nope\.tsv": no such file/);
    expect(await h.query('SELECT batch_id FROM batches')).toEqual([]);
    expect(await h.query('SELECT clip_id FROM batch_clips')).toEqual([]);
    expect((await audit()).map((a) => [a.outcome, a.code])).toEqual([
      ['refused', 'bad_request'],
      ['refused', 'bad_request'],
      ['refused', 'bad_request'],
    ]);
    expect(JSON.stringify(await h.query('SELECT * FROM audit_events'))).not.toContain('jane.doe');
  });

  it('refuses an operator, an unknown account, a taken batch id and a past expiry, storing nothing more', async () => {
    writeList(`${testClipId(1)}\tone.wav\tfine\tgranted\ten-US\t`);
    expect(await batches('create', '--audio', audio, '--clips', tsv, '--assign-to', 'alice')).toBe(1);
    expect(await batches('create', '--audio', audio, '--clips', tsv, '--assign-to', 'nobody')).toBe(1);
    expect(await create('--batch-id', BATCH)).toBe(0);
    expect(await create('--batch-id', BATCH)).toBe(1);
    expect(await create('--expires-at', '2001-01-01T00:00:00Z')).toBe(1);
    expect(await create('--expires-at', 'next tuesday')).toBe(2);
    expect(await create('--batch-id', 'b-1')).toBe(1);
    expect(await batches('create', '--audio', audio)).toBe(2);
    expect(h.err.join('\n')).toContain('batches create needs --clips, --assign-to');
    expect(await h.query('SELECT batch_id FROM batches')).toEqual([{ batch_id: BATCH }]);
    expect((await audit()).map((a) => [a.outcome, a.code])).toEqual([
      ['refused', 'not_found'],
      ['refused', 'not_found'],
      ['ok', null],
      ['refused', 'conflict'],
      ['refused', 'bad_request'],
      ['refused', 'bad_request'],
    ]);
  });

  it('lists, reassigns, re-dates and revokes batches, each audited', async () => {
    writeList(`${testClipId(1)}\tone.wav\tfine\tgranted\ten-US\t`);
    expect(await create('--batch-id', BATCH)).toBe(0);
    expect(await batches('assign', BATCH, 'supervisor')).toBe(0);
    expect(await batches('set-expiry', BATCH, '--expires-at', '2099-01-31T18:00:00Z')).toBe(0);
    h.clear();
    expect(await batches('list')).toBe(0);
    expect(h.out).toEqual([
      'batch_id\tassigned_to\tlocale\tclips\tstatus\tcreated\texpires\tholder',
      expect.stringMatching(
        new RegExp(`^${BATCH}\\tsupervisor\\ten-US\\t1\\tactive\\t[^\\t]+\\t2099-01-31T18:00:00.000Z\\t-$`),
      ),
    ]);
    expect(await batches('revoke', BATCH)).toBe(0);
    h.clear();
    expect(await batches('list', '--assigned-to', 'supervisor')).toBe(0);
    expect(h.out[1]).toContain('\trevoked\t');
    expect(await batches('assign', BATCH, 'reviewer')).toBe(1);
    expect(await batches('set-expiry', BATCH, '--expires-in-days', '3')).toBe(1);
    expect(await batches('revoke', testBatchId(9))).toBe(1);
    expect((await audit()).map((a) => [a.action, a.outcome, a.code])).toEqual([
      ['admin.batches.create', 'ok', null],
      ['admin.batches.assign', 'ok', null],
      ['admin.batches.set_expiry', 'ok', null],
      ['admin.batches.list', 'ok', null],
      ['admin.batches.revoke', 'ok', null],
      ['admin.batches.list', 'ok', null],
      ['admin.batches.assign', 'refused', 'conflict'],
      ['admin.batches.set_expiry', 'refused', 'conflict'],
      ['admin.batches.revoke', 'refused', 'not_found'],
    ]);
  });

  it('moves no batch a device holds, and none to an operator', async () => {
    writeList(`${testClipId(1)}\tone.wav\tfine\tgranted\ten-US\t`);
    expect(await create('--batch-id', BATCH)).toBe(0);
    await h.withCore(async (core) => {
      const key = { keyId: '0123456789abcdef', encryptionKey: Buffer.alloc(32, 1), signingKey: Buffer.alloc(32, 2) };
      await core.store.devices.enrol('reviewer', { ...key, enrolledAt: core.now() });
      await core.store.checkouts.record('reviewer', key.keyId, BATCH, core.now());
    });
    expect(await batches('assign', BATCH, 'supervisor')).toBe(1);
    expect(h.out.at(-1)).toMatch(/hand it over first/);
    expect(await batches('hand-over', BATCH)).toBe(0);
    expect(await batches('assign', BATCH, 'alice')).toBe(1);
    expect(await batches('assign', BATCH, 'supervisor')).toBe(0);
    expect(await h.query('SELECT assigned_to FROM batches')).toEqual([{ assigned_to: 'supervisor' }]);
  });
});
