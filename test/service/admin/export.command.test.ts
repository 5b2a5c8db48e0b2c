import { randomUUID } from 'node:crypto';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnnotationOp } from '../../../shared/sync/messages';
import { CLI_SOURCE } from '../../../service/audit';
import { withdrawClip } from '../../../service/consent';
import type { Core } from '../../../service/core';
import { addAccount, DEMO_REVIEWER } from '../../../service/seed';
import { adminHarness, type AdminHarness } from '../../support/admin-cli';
import { addPlainBatch } from '../../support/gold';

const BATCH = 'b-AAAAAAAAAAAA0007';

describe('admin export annotations', { timeout: 60_000 }, () => {
  let h: AdminHarness;
  let clips: string[];
  const ops: AnnotationOp[] = [];
  const exportCmd = (...argv: string[]): Promise<number> => h.run('export', 'annotations', ...argv);

  /** Stores the next revision of `clipId` as the op route would. */
  const store = (core: Core, clipId: string, transcript: string): Promise<unknown> => {
    const base = ops.filter((o) => o.clipId === clipId).at(-1);
    const revision = (base?.revision ?? 0) + 1;
    const op: AnnotationOp = {
      opId: randomUUID(),
      batchId: BATCH,
      clipId,
      revision,
      baseRevision: revision - 1,
      baseOpId: base?.opId ?? null,
      disposition: 'transcribed',
      transcript,
      criticalCategories: transcript.includes('[CRITICAL:') ? ['bank_card'] : [],
      entities: [],
      submittedAt: core.now(),
    };
    ops.push(op);
    return core.store.ops.apply(
      'annotation',
      DEMO_REVIEWER.account,
      [
        {
          opId: op.opId,
          payload: op,
          revision: { batchId: BATCH, clipId, revision, baseRevision: revision - 1, baseOpId: op.baseOpId },
          refusal: null,
        },
      ],
      core.now(),
    );
  };

  beforeEach(async () => {
    ops.length = 0;
    h = await adminHarness('earmark-admin-export-', {
      seed: async (core) => {
        await addAccount(core, DEMO_REVIEWER);
        clips = await addPlainBatch(core, BATCH, 2);
        await store(core, clips[0] ?? '', 'pay with [CRITICAL:bank_card] now');
        await store(core, clips[1] ?? '', 'hello there');
        await store(core, clips[0] ?? '', 'pay later');
      },
    });
  });
  afterEach(() => {
    h.remove();
  });

  it('writes every revision to a file, then resumes it from the printed cursor, audited', async () => {
    const file = join(h.dir, 'export.jsonl');
    expect(await exportCmd('--all-revisions', '--out', file)).toBe(0);
    const cursor = /next cursor (\d+) \(resume with --since \1\)/.exec(h.err.join('\n'))?.[1] ?? '';
    expect(cursor).not.toBe('');
    const lines = (): { opId: string; current: boolean; transcript: string }[] =>
      readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { opId: string; current: boolean; transcript: string });
    expect(lines().map((l) => [l.opId, l.current])).toEqual([
      [ops[0]?.opId, false],
      [ops[1]?.opId, true],
      [ops[2]?.opId, true],
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // A new export into the same file without --since would repeat what it holds.
    expect(await exportCmd('--out', file)).toBe(2);

    await h.withCore((core) => store(core, clips[1] ?? '', 'hello again'));
    h.clear();
    expect(await exportCmd('--all-revisions', '--since', cursor, '--out', file)).toBe(0);
    expect(lines().map((l) => l.opId)).toEqual(ops.map((o) => o.opId));
    expect(h.err.join('\n')).toMatch(/^exported 1 line\(s\)/);
    expect(
      (
        await h.query<{ subject: string | null; detail: string }>(
          "SELECT subject, detail FROM audit_events WHERE action = 'admin.export.annotations' ORDER BY seq",
        )
      ).map((r) => JSON.parse(r.detail) as { since: number; lines: number; revisions: string }),
    ).toEqual([
      expect.objectContaining({ since: 0, lines: 3, revisions: 'all', completed: true }),
      expect.objectContaining({ since: Number(cursor), lines: 1, revisions: 'all', completed: true }),
    ]);
  });

  it('continues a file made readable by others as 0600, with the withdrawals since the cursor', async () => {
    const file = join(h.dir, 'export.jsonl');
    expect(await exportCmd('--out', file)).toBe(0);
    const cursor = /next cursor (\d+)/.exec(h.err.join('\n'))?.[1] ?? '';
    chmodSync(file, 0o644);
    await h.withCore((core) =>
      withdrawClip(core, { batchId: BATCH, clipId: clips[0] ?? '', actor: 'tests', source: CLI_SOURCE }),
    );
    expect(await exportCmd('--since', cursor, '--out', file)).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2] ?? '')).toEqual({
      record: 'withdrawal',
      seq: expect.any(Number) as number,
      batchId: BATCH,
      clipId: clips[0],
      withdrawn: true,
    });
  });

  it('writes current revisions as trn to standard output, and refuses bad options with usage', async () => {
    expect(await exportCmd('--format', 'trn', '--batch', BATCH)).toBe(0);
    expect(h.out).toEqual([`hello there (${BATCH.slice(2)}-${clips[1]})`, `pay later (${BATCH.slice(2)}-${clips[0]})`]);
    expect(await exportCmd('--format', 'csv')).toBe(2);
    expect(await exportCmd('--since', 'yesterday')).toBe(2);
    expect(await exportCmd('--batch', 'b-1')).toBe(2);
    expect(await exportCmd('--everything')).toBe(2);
    expect(await h.run('export', 'escalations')).toBe(2);
    expect(h.err.join('\n')).toContain('export annotations [--batch BATCH_ID]');
  });
});
