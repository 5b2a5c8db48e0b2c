/**
 * The annotation export over real HTTP: a scripted shift is submitted in the workstation's own
 * upload form (critical spans replaced as the client replaces them), and the export gives it
 * back revision by revision, with no byte of the critical text; a cursor resumed while the
 * reviewer keeps submitting misses nothing and repeats nothing; only operators may export.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDeviceKey } from '../../core/crypto/device-key';
import type { Annotation } from '../../shared/domain/annotation';
import type { AnnotationOp } from '../../shared/sync/messages';
import { toAnnotationOp } from '../../shared/sync/outgoing';
import { trnText, type ExportedRevision, type ExportLine } from '../../service/annotation-export';
import { CLI_SOURCE } from '../../service/audit';
import { withdrawClip } from '../../service/consent';
import { addBatch, DEMO_REVIEWER, DEMO_SUPERVISOR, type SeedAccount } from '../../service/seed';
import { addPlainBatch, mixGold, seedGold } from '../support/gold';
import { silentClips } from '../support/packages';
import { startTestService, type TestService } from '../support/reference-service';
import { makeTempDir } from '../support/temp-dir';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';

const BATCH = 'b-AAAAAAAAAAAA0042';
const OPERATOR: SeedAccount = {
  account: 'ops',
  password: 'operator password',
  totpSecret: 'EARMARKTESTOPERATOR2345672345672',
  pseudonym: 'op-1',
  role: 'operator',
};
/** What the reviewer marked critical: none of it may leave the workstation, so none may be exported. */
const CARD = '4111 1111 1111 1111';
/** Whether Debian's sctk (with sclite) is on this machine. */
const HAS_SCLITE = spawnSync('sctk', ['sclite', '-h'], { encoding: 'utf8' }).error === undefined;
const STREET = '12 Quokka Lane';

type Page = { status: number; body: string; next: number; complete: boolean; code: string | null };

describe('annotation export', { timeout: 60_000 }, () => {
  let svc: TestService;
  let reviewerToken: string;
  let operatorToken: string;
  let clips: string[];
  let goldClip: string;
  const device = generateDeviceKey();
  const submitted: AnnotationOp[] = [];

  async function signIn(account: SeedAccount): Promise<string> {
    const r = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await svc.signInBody({ account, device })),
    });
    expect(r.status).toBe(201);
    return ((await r.json()) as { token: string }).token;
  }
  async function post(token: string, path: string, json: unknown): Promise<number> {
    const r = await fetch(`${svc.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    await r.arrayBuffer();
    return r.status;
  }
  async function exportPage(token: string, query: string): Promise<Page> {
    const r = await fetch(`${svc.url}/v1/export/annotations${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await r.text();
    return {
      status: r.status,
      body,
      next: Number(r.headers.get('earmark-next-cursor')),
      complete: r.headers.get('earmark-export-complete') === 'true',
      code: r.ok ? null : ((JSON.parse(body) as { error?: { code?: string } }).error?.code ?? null),
    };
  }
  const jsonLines = (body: string): ExportLine[] =>
    body
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as ExportLine);
  const revisions = (lines: readonly ExportLine[]): ExportedRevision[] =>
    lines.flatMap((l) => (l.record === 'revision' ? [l] : []));

  /**
   * Submits one revision as the workstation uploads it (the demo reviewer's, to BATCH, unless
   * `as` names another session and batch); returns the op sent.
   */
  async function submit(
    a: Omit<Annotation, 'batchId' | 'opId' | 'submittedAt'>,
    base?: AnnotationOp,
    as: { token: string; batchId: string } = { token: reviewerToken, batchId: BATCH },
  ) {
    const annotation: Annotation = { ...a, batchId: as.batchId, opId: randomUUID(), submittedAt: svc.now() };
    const op = toAnnotationOp(annotation, { baseOpId: base?.opId ?? null });
    expect(await post(as.token, '/v1/annotations', { ops: [op] })).toBe(200);
    submitted.push(op);
    return op;
  }

  beforeEach(async () => {
    submitted.length = 0;
    svc = await startTestService();
    await svc.addAccount(OPERATOR);
    await svc.addAccount(DEMO_SUPERVISOR);
    clips = await addPlainBatch(svc.service.core, BATCH, 3);
    const goldId = await seedGold(svc.service.core, { reference: 'play some jazz' });
    [goldClip = ''] = await mixGold(svc.service.core, BATCH, [goldId]);
    reviewerToken = await signIn(DEMO_REVIEWER);
    operatorToken = await signIn(OPERATOR);
    expect(await post(reviewerToken, '/v1/devices', deviceEnrolment(device, svc.enrolmentCode()))).toBe(201);
    expect(await post(reviewerToken, `/v1/batches/${BATCH}/checkout`, { keyId: device.keyId })).toBe(200);
  });
  afterEach(async () => {
    await svc.stop();
  });

  /** A short shift: a card number and an address marked critical, an amendment, a gold clip, a withdrawn clip. */
  async function scriptedShift(): Promise<void> {
    const [one = '', two = '', three = ''] = clips;
    const cardText = `charge my card ${CARD} (twice) please`;
    const first = await submit({
      clipId: one,
      revision: 1,
      disposition: 'transcribed',
      transcript: cardText,
      critical: [{ start: 15, end: 15 + CARD.length, category: 'bank_card' }],
      entities: [],
    });
    const streetText = `navigate to ${STREET} with\nthe van`;
    await submit(
      {
        clipId: one,
        revision: 2,
        disposition: 'transcribed',
        transcript: streetText,
        critical: [{ start: 12, end: 12 + STREET.length, category: 'address' }],
        entities: [{ start: streetText.length - 3, end: streetText.length, type: 'product' }],
      },
      first,
    );
    await submit({ clipId: two, revision: 1, disposition: 'noise_only', transcript: '', critical: [], entities: [] });
    await submit({
      clipId: goldClip,
      revision: 1,
      disposition: 'transcribed',
      transcript: 'play some jazz',
      critical: [],
      entities: [{ start: 10, end: 14, type: 'song' }],
    });
    await submit({
      clipId: three,
      revision: 1,
      disposition: 'transcribed',
      transcript: 'call mum',
      critical: [],
      entities: [],
    });
    await withdrawClip(svc.service.core, { batchId: BATCH, clipId: three, actor: 'tests', source: CLI_SOURCE });
  }

  it('gives back every revision of a scripted shift as submitted, without the critical text', async () => {
    await scriptedShift();
    const [one = '', two = '', three = ''] = clips;
    const page = await exportPage(operatorToken, `?batch=${BATCH}&revisions=all`);
    expect(page.status).toBe(200);
    expect(page.complete).toBe(true);
    const lines = jsonLines(page.body);
    const rows = revisions(lines);
    expect(rows.map((r) => [r.clipId, r.revision, r.current, r.gold, r.withdrawn])).toEqual([
      [one, 1, false, false, false],
      [one, 2, true, false, false],
      [two, 1, true, false, false],
      [goldClip, 1, true, true, false],
      [three, 1, false, false, true],
    ]);
    // The withdrawal of clip three is a record of its own, after the clip's revision.
    expect(lines.at(-1)).toEqual({
      record: 'withdrawal',
      seq: page.next,
      batchId: BATCH,
      clipId: three,
      withdrawn: true,
    });
    expect(page.next).toBeGreaterThan(Math.max(...rows.map((r) => r.seq)));
    // Revision by revision, what the workstation sent is what the export says.
    for (const op of submitted.filter((o) => o.clipId !== three)) {
      const row = rows.find((r) => r.opId === op.opId);
      expect(typeof row?.seq).toBe('number');
      expect(typeof row?.receivedAt).toBe('number');
      expect({ ...row, seq: 0, receivedAt: 0 }).toEqual({
        record: 'revision',
        seq: 0,
        batchId: BATCH,
        clipId: op.clipId,
        revision: op.revision,
        opId: op.opId,
        reviewer: DEMO_REVIEWER.pseudonym,
        current: row?.current,
        gold: op.clipId === goldClip,
        receivedAt: 0,
        withdrawn: false,
        disposition: op.disposition,
        transcript: op.transcript,
        criticalCategories: op.criticalCategories,
        entities: op.entities,
        submittedAt: op.submittedAt,
      });
    }
    expect(rows[0]).toMatchObject({ transcript: 'charge my card [CRITICAL:bank_card] (twice) please' });
    // A withdrawn clip is marked, with nothing of what was said of it.
    const withdrawn = rows.find((r) => r.clipId === three);
    expect(Object.keys(withdrawn ?? {}).sort()).toEqual(
      [
        'record',
        'batchId',
        'clipId',
        'current',
        'gold',
        'opId',
        'receivedAt',
        'reviewer',
        'revision',
        'seq',
        'withdrawn',
      ].sort(),
    );

    const current = jsonLines((await exportPage(operatorToken, `?batch=${BATCH}`)).body);
    expect(current.map((r) => [r.record, r.clipId, r.record === 'revision' ? r.revision : null])).toEqual([
      ['revision', one, 2],
      ['revision', two, 1],
      ['revision', goldClip, 1],
      ['revision', three, 1],
      ['withdrawal', three, null],
    ]);

    const trn = await exportPage(operatorToken, `?format=trn&revisions=all`);
    expect(trn.status).toBe(200);
    const id = (clipId: string, revision: number): string => `${BATCH.slice(2)}-${clipId}-r${revision}`;
    expect(trn.body.split('\n').filter((l) => l !== '')).toEqual([
      `charge my card [CRITICAL:bank_card] twice please (${id(one, 1)})`,
      `navigate to [CRITICAL:address] with the van (${id(one, 2)})`,
      `(${id(two, 1)})`,
      `play some jazz (${id(goldClip, 1)})`,
    ]);
    const currentTrn = (await exportPage(operatorToken, '?format=trn')).body;
    expect(currentTrn).toContain(`(${BATCH.slice(2)}-${one})\n`);
    expect(currentTrn).not.toContain('-r1)');

    for (const body of [page.body, trn.body, currentTrn]) {
      for (const secret of [CARD, STREET, 'call mum', '4111']) {
        expect(Buffer.from(body, 'utf8').includes(Buffer.from(secret, 'utf8'))).toBe(false);
      }
    }
  });

  const said = (r: ExportLine): r is Extract<ExportedRevision, { withdrawn: false }> =>
    r.record === 'revision' && !r.withdrawn;

  it('writes trn that parses back to the current transcripts, one line per clip', async () => {
    await scriptedShift();
    const trn = (await exportPage(operatorToken, '?format=trn')).body;
    const current = jsonLines((await exportPage(operatorToken, '')).body).filter(said);
    const parsed = trn
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => /^(.*?) ?\(([^()\s]+)\)$/.exec(l));
    expect(parsed.every((m) => m !== null)).toBe(true);
    expect(parsed.map((m) => [m?.[2], m?.[1]])).toEqual(
      current.map((r) => [`${r.batchId.slice(2)}-${r.clipId}`, trnText(r.transcript)]),
    );
  });

  // The CI script installs Debian's sctk; where it is missing, the test above still checks the format.
  it.skipIf(!HAS_SCLITE)('writes trn that sclite scores, one speaker per batch (needs Debian sctk)', async () => {
    await scriptedShift();
    const trn = (await exportPage(operatorToken, '?format=trn')).body;
    const current = jsonLines((await exportPage(operatorToken, '')).body).filter(said);
    const tmp = makeTempDir('earmark-trn-');
    try {
      const file = join(tmp.dir, 'export.trn');
      writeFileSync(file, trn);
      // The export scored against itself: every word correct.
      const report = execFileSync(
        'sctk',
        ['sclite', '-r', file, 'trn', '-h', file, 'trn', '-i', 'spu_id', '-o', 'sum', 'stdout'],
        { encoding: 'utf8' },
      );
      const sum = /\|\s*Sum\/Avg\s*\|\s*(\d+)\s+(\d+)\s*\|\s*([\d.]+)/.exec(report);
      const words = current.reduce(
        (n, r) =>
          n +
          trnText(r.transcript)
            .split(' ')
            .filter((w) => w !== '').length,
        0,
      );
      expect(sum?.slice(1, 4)).toEqual([String(current.length), String(words), '100.0']);
      expect(report.toLowerCase()).toContain(BATCH.slice(2).toLowerCase());
    } finally {
      tmp.remove();
    }
  });

  it('resumed from its cursor while revisions are being written, misses nothing and repeats nothing', async () => {
    const [one = '', two = ''] = clips;
    const state = { writing: true };
    const writer = (async () => {
      let bases: Record<string, AnnotationOp | undefined> = {};
      for (let i = 0; i < 24; i += 1) {
        const clipId = i % 2 === 0 ? one : two;
        const base = bases[clipId];
        const op = await submit(
          {
            clipId,
            revision: (base?.revision ?? 0) + 1,
            disposition: 'transcribed',
            transcript: `take ${i}`,
            critical: [],
            entities: [],
          },
          base,
        );
        bases = { ...bases, [clipId]: op };
      }
      state.writing = false;
    })();
    const seen: string[] = [];
    let cursor = 0;
    let pages = 0;
    for (;;) {
      const stillWriting = state.writing;
      const page = await exportPage(operatorToken, `?since=${cursor}&limit=5&revisions=all`);
      expect(page.status).toBe(200);
      seen.push(...revisions(jsonLines(page.body)).map((r) => r.opId));
      expect(page.next).toBeGreaterThanOrEqual(cursor);
      cursor = page.next;
      pages += 1;
      if (page.complete && !stillWriting) {
        break;
      }
    }
    await writer;
    expect(pages).toBeGreaterThan(4);
    expect(seen).toEqual(submitted.map((o) => o.opId));
    expect(new Set(seen).size).toBe(seen.length);
    // The cursor at the end picks up exactly what comes next.
    const late = await submit(
      {
        clipId: one,
        revision: 13,
        disposition: 'noise_only',
        transcript: '',
        critical: [],
        entities: [],
      },
      submitted.filter((o) => o.clipId === one).at(-1),
    );
    expect(
      revisions(jsonLines((await exportPage(operatorToken, `?since=${cursor}&revisions=all`)).body)).map((r) => r.opId),
    ).toEqual([late.opId]);
  });

  it('paged by cursor while two reviewers write at once, gives every revision exactly once', async () => {
    // A second reviewer with a batch and a device of their own, signed in beside the demo reviewer.
    const other: SeedAccount = {
      account: 'reviewer-two',
      password: 'second reviewer password',
      totpSecret: 'EARMARKTESTREVIEWERTWO2345672345',
      pseudonym: 'rv-2',
      role: 'reviewer',
    };
    const otherBatch = 'b-AAAAAAAAAAAA0043';
    const otherDevice = generateDeviceKey();
    await svc.addAccount(other);
    const otherClips = silentClips(2);
    await addBatch(svc.service.core, { batchId: otherBatch, assignedTo: other.account, clips: otherClips });
    const r = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await svc.signInBody({ account: other, device: otherDevice })),
    });
    const otherToken = ((await r.json()) as { token: string }).token;
    const enrolment = deviceEnrolment(otherDevice, await svc.issueEnrolmentCode(other.account));
    expect(await post(otherToken, '/v1/devices', enrolment)).toBe(201);
    expect(await post(otherToken, `/v1/batches/${otherBatch}/checkout`, { keyId: otherDevice.keyId })).toBe(200);

    /** One writer: `count` revisions of one clip, each on the one before, as fast as they are stored. */
    const amend = async (as: { token: string; batchId: string }, clipId: string, count: number): Promise<void> => {
      let base: AnnotationOp | undefined;
      for (let i = 1; i <= count; i += 1) {
        const transcript = `${clipId} take ${i}`;
        base = await submit(
          { clipId, revision: i, disposition: 'transcribed', transcript, critical: [], entities: [] },
          base,
          as,
        );
      }
    };
    const [one = '', two = ''] = clips;
    const demo = { token: reviewerToken, batchId: BATCH };
    const second = { token: otherToken, batchId: otherBatch };
    const state = { writing: true };
    // Four chains of revisions in flight at once: two clips for each reviewer.
    const writers = Promise.all([
      amend(demo, one, 12),
      amend(demo, two, 12),
      amend(second, otherClips[0]?.details.id ?? '', 12),
      amend(second, otherClips[1]?.details.id ?? '', 12),
    ]).finally(() => {
      state.writing = false;
    });

    const seen: ExportedRevision[] = [];
    let cursor = 0;
    // Pages that returned revisions while writes were still in flight on both sides of them: what
    // makes this a test of the cursor under concurrent commits rather than of a finished store.
    let pagesAmidWrites = 0;
    for (;;) {
      const stillWriting = state.writing;
      const page = await exportPage(operatorToken, `?since=${cursor}&limit=3&revisions=all`);
      expect(page.status).toBe(200);
      const got = revisions(jsonLines(page.body));
      seen.push(...got);
      if (stillWriting && state.writing && got.length > 0) {
        pagesAmidWrites += 1;
      }
      cursor = page.next;
      if (page.complete && !stillWriting) {
        break;
      }
    }
    await writers;
    expect(pagesAmidWrites).toBeGreaterThan(0);
    // Each revision once, in seq order, and none missing: the union of the pages is what is stored.
    const seqs = seen.map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    const stored = await svc.query<{ op_id: string }>('SELECT op_id FROM annotation_revisions');
    expect(stored).toHaveLength(48);
    expect(seen.map((r) => r.opId).sort()).toEqual(stored.map((s) => s.op_id).sort());
    expect(seen.map((r) => r.opId).sort()).toEqual(submitted.map((o) => o.opId).sort());
    expect(new Set(seen.map((r) => r.reviewer))).toEqual(new Set([DEMO_REVIEWER.pseudonym, other.pseudonym]));
  });

  it('tells a consumer resuming from its cursor that a clip exported before was withdrawn since', async () => {
    const [one = '', two = ''] = clips;
    const said = 'call mum at the office';
    const first = await submit({
      clipId: one,
      revision: 1,
      disposition: 'transcribed',
      transcript: said,
      critical: [],
      entities: [],
    });
    await submit({ clipId: two, revision: 1, disposition: 'noise_only', transcript: '', critical: [], entities: [] });
    const before = await exportPage(operatorToken, '?revisions=all');
    expect(before.body).toContain(said);
    const cursor = before.next;

    await withdrawClip(svc.service.core, { batchId: BATCH, clipId: one, actor: 'tests', source: CLI_SOURCE });
    // A workstation that never heard of it sends an amendment: refused, so it never reaches the export.
    const late = toAnnotationOp(
      {
        batchId: BATCH,
        clipId: one,
        revision: 2,
        opId: randomUUID(),
        submittedAt: svc.now(),
        disposition: 'transcribed',
        transcript: 'call mum again',
        critical: [],
        entities: [],
      },
      { baseOpId: first.opId },
    );
    expect(await post(reviewerToken, '/v1/annotations', { ops: [late] })).toBe(200);

    const resumed = await exportPage(operatorToken, `?since=${cursor}&revisions=all`);
    const withdrawal = { record: 'withdrawal', seq: resumed.next, batchId: BATCH, clipId: one, withdrawn: true };
    expect(jsonLines(resumed.body)).toEqual([withdrawal]);
    expect(resumed.next).toBeGreaterThan(cursor);
    // In trn it has no line, but the cursor still moves past it.
    const trn = await exportPage(operatorToken, `?since=${cursor}&format=trn`);
    expect([trn.body, trn.next]).toEqual(['', resumed.next]);
    // Resumed from there, nothing more: the withdrawal is told once.
    expect((await exportPage(operatorToken, `?since=${resumed.next}`)).body).toBe('');

    // Replayed from 0, the clip's revision is a tombstone, followed by its withdrawal.
    const replay = jsonLines((await exportPage(operatorToken, '?revisions=all')).body).filter((l) => l.clipId === one);
    expect(replay).toEqual([
      expect.objectContaining({ record: 'revision', opId: first.opId, withdrawn: true }),
      withdrawal,
    ]);
    // No transcript of the withdrawn clip leaves the service after its withdrawal, in any form.
    for (const query of ['?revisions=all', '', '?format=trn&revisions=all', '?format=trn', `?since=${cursor}`]) {
      const body = (await exportPage(operatorToken, query)).body;
      for (const words of [said, 'call mum again', 'office']) {
        expect(body).not.toContain(words);
      }
      expect(body).not.toContain(late.opId);
    }
  });

  it("is for operators only: none is 401, a reviewer's or supervisor's session 403, each audited", async () => {
    await scriptedShift();
    const supervisorToken = await signIn(DEMO_SUPERVISOR);
    const none = await fetch(`${svc.url}/v1/export/annotations`);
    expect(none.status).toBe(401);
    for (const token of [reviewerToken, supervisorToken]) {
      const refused = await exportPage(token, `?revisions=all`);
      expect([refused.status, refused.code]).toEqual([403, 'operator_only']);
      expect(refused.body).not.toContain('CRITICAL');
    }
    expect((await exportPage(operatorToken, '?limit=0')).status).toBe(400);
    expect((await exportPage(operatorToken, '?format=csv')).code).toBe('bad_request');
    expect((await exportPage(operatorToken, '?since=-1')).code).toBe('bad_request');
    expect((await exportPage(operatorToken, '?batch=b-1')).code).toBe('bad_request');
    expect((await exportPage(operatorToken, '?since=1&since=2')).code).toBe('bad_request');
    expect((await exportPage(operatorToken, '?everything=yes')).code).toBe('bad_request');
    expect((await exportPage(operatorToken, `?batch=${BATCH}`)).status).toBe(200);
    expect(
      await svc.query<{ actor: string | null; outcome: string; code: string | null; subject: string | null }>(
        "SELECT actor, outcome, code, subject FROM audit_events WHERE action = 'admin.export.annotations' ORDER BY seq",
      ),
    ).toEqual([
      { actor: null, outcome: 'refused', code: 'token_invalid', subject: null },
      { actor: DEMO_REVIEWER.account, outcome: 'refused', code: 'operator_only', subject: device.keyId },
      { actor: DEMO_SUPERVISOR.account, outcome: 'refused', code: 'operator_only', subject: device.keyId },
      ...Array.from({ length: 6 }, () => ({
        actor: OPERATOR.account,
        outcome: 'refused',
        code: 'bad_request',
        subject: device.keyId,
      })),
      { actor: OPERATOR.account, outcome: 'ok', code: null, subject: BATCH },
    ]);
  });
});
