/**
 * Gold clips over real HTTP: mixed into a batch they are packed like every other clip, under
 * fresh opaque ids; what a reviewer submits for them is scored with the project's WER code, the
 * same as `npm run wer` on the same pairs; and a supervisor's team shifts carry the figures.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDeviceKey } from '../../core/crypto/device-key';
import type { Disposition } from '../../shared/domain/annotation';
import type { AnnotationOp, BatchListResponse, BulkResponse, TimingRecord } from '../../shared/sync/messages';
import { teamShiftsResponseSchema } from '../../shared/sync/team-shifts';
import { withdrawClip } from '../../service/consent';
import { DEMO_SUPERVISOR } from '../../service/seed';
import { addTeamMember, createTeam, setTeamRole } from '../../service/teams';
import { runWerCli } from '../../tools/wer';
import { rowIdName, testRowId } from '../support/ids';
import { addPlainBatch, GOLD_OPERATOR, mixGold, OPAQUE_CLIP_ID, rawPackage, seedGold, shapeOf } from '../support/gold';
import { startTestService, type TestService } from '../support/reference-service';
import { runCli } from '../support/run-cli';
import { makeTempDir } from '../support/temp-dir';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';

const PLAIN = 'b-AAAAAAAAAAAA0001';
const MIXED = 'b-AAAAAAAAAAAA0002';
const HOUR = 3_600_000;

describe('gold clips', () => {
  let svc: TestService;
  let tmp: ReturnType<typeof makeTempDir>;
  const device = generateDeviceKey();
  let token: string;

  beforeEach(async () => {
    svc = await startTestService();
    tmp = makeTempDir('earmark-gold-');
  });
  afterEach(async () => {
    tmp.remove();
    await svc.stop();
  });

  async function call(method: string, path: string, json?: unknown, bearer = token) {
    const r = await fetch(`${svc.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    return { status: r.status, bytes: Buffer.from(await r.arrayBuffer()) };
  }
  const json = (r: { bytes: Buffer }): unknown => JSON.parse(r.bytes.toString('utf8'));

  /** Signs the demo reviewer in on `device` and enrols it with an operator's code. */
  async function signInReviewer(): Promise<void> {
    const r = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await svc.signInBody({ device })),
    });
    token = ((await r.json()) as { token: string }).token;
    const enrolled = await call('POST', '/v1/devices', deviceEnrolment(device, svc.enrolmentCode()));
    expect(enrolled.status).toBe(201);
  }

  async function checkout(batchId: string): Promise<Buffer> {
    const r = await call('POST', `/v1/batches/${batchId}/checkout`, { keyId: device.keyId });
    expect(r.status).toBe(200);
    return r.bytes;
  }

  const goldClipIds = async (batchId: string): Promise<string[]> =>
    (
      await svc.query<{ clip_id: string }>('SELECT clip_id FROM gold_uses WHERE batch_id = ? ORDER BY clip_id', batchId)
    ).map((r) => r.clip_id);

  const annotation = (
    batchId: string,
    clipId: string,
    transcript: string,
    disposition: Disposition,
    base?: { revision: number; opId: string },
  ): AnnotationOp => ({
    opId: randomUUID(),
    batchId,
    clipId,
    revision: (base?.revision ?? 0) + 1,
    baseRevision: base?.revision ?? 0,
    baseOpId: base?.opId ?? null,
    disposition,
    transcript,
    criticalCategories: [],
    entities: [],
    submittedAt: svc.now(),
  });

  it('packs gold clips like every other clip: same fields, same shapes, fresh opaque ids', async () => {
    await addPlainBatch(svc.service.core, PLAIN, 3);
    await addPlainBatch(svc.service.core, MIXED, 3);
    const gold = [
      await seedGold(svc.service.core, { reference: 'call my [CRITICAL:phone] please', asrText: 'call my phone' }),
      await seedGold(svc.service.core, { reference: '', disposition: 'noise_only', asrText: '' }),
    ];
    const clipIds = await mixGold(svc.service.core, MIXED, gold);
    expect(clipIds).toHaveLength(2);
    clipIds.forEach((id) => expect(id).toMatch(OPAQUE_CLIP_ID));
    await signInReviewer();

    const list = json(await call('GET', '/v1/batches')) as BatchListResponse;
    const [plainEntry, mixedEntry] = [PLAIN, MIXED].map((id) => list.batches.find((b) => b.batchId === id));
    expect(shapeOf(mixedEntry)).toEqual(shapeOf(plainEntry));
    expect(mixedEntry?.clipCount).toBe(5);

    const plain = rawPackage(await checkout(PLAIN), device, svc.now());
    const mixed = rawPackage(await checkout(MIXED), device, svc.now());
    const headerClips = (p: typeof plain) => (p.header as { clips: unknown[] }).clips;
    const detailClips = (p: typeof plain) => (p.details as { clips: unknown[] }).clips;
    const oneHeaderClip = shapeOf(headerClips(plain)[0]);
    const oneDetailClip = shapeOf(detailClips(plain)[0]);
    expect(headerClips(mixed)).toHaveLength(5);
    // Every clip of either package, gold or not, has the same keys in the same order and types.
    for (const clip of [...headerClips(plain), ...headerClips(mixed)]) {
      expect(shapeOf(clip)).toEqual(oneHeaderClip);
    }
    for (const clip of [...detailClips(plain), ...detailClips(mixed)]) {
      expect(shapeOf(clip)).toEqual(oneDetailClip);
    }
    // The rest of the header is the same shape too.
    const { clips: _a, ...plainRest } = plain.header as Record<string, unknown>;
    const { clips: _b, ...mixedRest } = mixed.header as Record<string, unknown>;
    expect(shapeOf(mixedRest)).toEqual(shapeOf(plainRest));
    // The answer stays on the service.
    expect(mixed.detailsText).not.toContain('CRITICAL');
    expect(mixed.detailsText).not.toContain('noise_only');
    expect(await goldClipIds(MIXED)).toEqual([...clipIds].sort());
  });

  it('refuses to mix into a batch already checked out, and audits the refusal', async () => {
    await addPlainBatch(svc.service.core, PLAIN, 2);
    const goldId = await seedGold(svc.service.core, { reference: 'turn it up' });
    await signInReviewer();
    await checkout(PLAIN);
    await expect(mixGold(svc.service.core, PLAIN, [goldId])).rejects.toMatchObject({ status: 409, code: 'conflict' });
    expect(await svc.query("SELECT outcome, code, subject FROM audit_events WHERE action = 'admin.gold.mix'")).toEqual([
      { outcome: 'refused', code: 'conflict', subject: PLAIN },
    ]);
    expect(await svc.query('SELECT * FROM gold_uses')).toEqual([]);
  });

  /** Reference, submitted transcript, reference disposition, submitted disposition. */
  const PAIRS: readonly [string, string, Disposition, Disposition][] = [
    ['play the next song', 'play the next song', 'transcribed', 'transcribed'],
    ['call [CRITICAL:phone] now', 'Call, [CRITICAL:phone] now!', 'transcribed', 'transcribed'],
    ["don't set a timer for ten minutes", 'dont set timer for 10 minutes please', 'transcribed', 'transcribed'],
    ['what’s the weather in São Paulo', "what's the whether in sao paulo", 'transcribed', 'unintelligible'],
    ['', '[noise]', 'noise_only', 'noise_only'],
    ['', 'turn off the lights', 'tv_media', 'transcribed'],
  ];

  /** Mixes one gold clip per pair into a batch, checks it out and submits each pair's transcript. */
  async function submitPairs(): Promise<{ clipIds: string[]; ops: AnnotationOp[] }> {
    await addPlainBatch(svc.service.core, MIXED, 2);
    const goldIds: string[] = [];
    for (const [reference, , disposition] of PAIRS) {
      goldIds.push(await seedGold(svc.service.core, { reference, disposition }));
    }
    const clipIds = await mixGold(svc.service.core, MIXED, goldIds);
    await signInReviewer();
    await checkout(MIXED);
    const ops = PAIRS.map(([, transcript, , submitted], i) =>
      annotation(MIXED, clipIds[i] ?? '', transcript, submitted),
    );
    const r = await call('POST', '/v1/annotations', { ops });
    expect((json(r) as BulkResponse).results.map((x) => x.outcome)).toEqual(PAIRS.map(() => 'stored'));
    return { clipIds, ops };
  }

  type ScoreRow = {
    clip_id: string;
    revision: number;
    ref_words: number;
    correct: number;
    substitutions: number;
    deletions: number;
    insertions: number;
    /** 0 or 1 on SQLite, a boolean on PostgreSQL. */
    disposition_agreed: number | boolean;
  };
  const scores = (): Promise<ScoreRow[]> =>
    svc.query<ScoreRow>(
      `SELECT clip_id, revision, ref_words, correct, substitutions, deletions, insertions, disposition_agreed
         FROM gold_scores ORDER BY clip_id, revision`,
    );

  it('scores each gold submission as `npm run wer` scores the same pair, and checks the disposition', async () => {
    const { clipIds, ops } = await submitPairs();
    const ref = join(tmp.dir, 'ref.trn');
    const hyp = join(tmp.dir, 'hyp.trn');
    writeFileSync(ref, PAIRS.map(([r], i) => `${r} (${clipIds[i] ?? ''})\n`).join(''));
    writeFileSync(hyp, PAIRS.map(([, h], i) => `${h} (${clipIds[i] ?? ''})\n`).join(''));
    const run = runCli(runWerCli, ['--ref', ref, '--hyp', hyp, '--json']);
    expect(run.code).toBe(0);
    const cli = run.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l['type'] === 'utterance');
    const byClip = new Map((await scores()).map((s) => [s.clip_id, s]));
    expect(cli).toHaveLength(PAIRS.length);
    for (const u of cli) {
      const s = byClip.get(String(u['id']));
      expect(s, String(u['id'])).toBeDefined();
      expect({
        refWords: s?.ref_words,
        correct: s?.correct,
        substitutions: s?.substitutions,
        deletions: s?.deletions,
        insertions: s?.insertions,
      }).toEqual({
        refWords: u['refWords'],
        correct: u['correct'],
        substitutions: u['substitutions'],
        deletions: u['deletions'],
        insertions: u['insertions'],
      });
    }
    expect(clipIds.map((id) => Number(byClip.get(id)?.disposition_agreed))).toEqual(
      PAIRS.map(([, , want, got]) => (want === got ? 1 : 0)),
    );
    // Scored once: the same ops again are duplicates and change nothing.
    expect((await call('POST', '/v1/annotations', { ops })).status).toBe(200);
    expect(await scores()).toHaveLength(PAIRS.length);
    // Consent withdrawn for one of them: its score goes with what its ops said.
    await withdrawClip(svc.service.core, { batchId: MIXED, clipId: clipIds[0] ?? '', actor: 'ops', source: 'cli' });
    expect((await scores()).map((s) => s.clip_id)).not.toContain(clipIds[0]);
    expect(await scores()).toHaveLength(PAIRS.length - 1);
  });

  it('shows a supervisor each shift’s gold figures, counting the latest revision where it was made', async () => {
    const { clipIds, ops } = await submitPairs();
    // The second pair is amended to the reference in a later shift: it counts there, not here.
    const amended = annotation(MIXED, clipIds[1] ?? '', 'call [CRITICAL:phone] now', 'transcribed', {
      revision: 1,
      opId: ops[1]?.opId ?? '',
    });
    expect((await call('POST', '/v1/annotations', { ops: [amended] })).status).toBe(200);

    const t0 = svc.now() - 5 * HOUR;
    const shift = (id: string, startedAt: number, seq: number): TimingRecord => ({
      id: `${device.keyId}-${seq}`,
      kind: 'shift',
      values: {
        id: testRowId(id),
        pseudonym: 'rv-x',
        startedAt,
        startReason: 'sign_in',
        lastActivityAt: startedAt + HOUR,
        endedAt: startedAt + HOUR,
        endReason: 'sign_out',
      },
    });
    const clip = (shiftId: string, clipId: string, revision: number, seq: number, at: number): TimingRecord => ({
      id: `${device.keyId}-${seq}`,
      kind: 'clip',
      values: {
        shiftId: testRowId(shiftId),
        batchId: MIXED,
        clipId,
        revision,
        submittedAt: at,
        durationMs: 300,
        handleMs: 20_000,
        activeMs: 15_000,
        idleMs: 5_000,
        listenMs: 300,
        realTimeFactor: 50,
        plays: 1,
        replays: 0,
        seeks: 0,
        rateChanges: 0,
        edits: 1,
        firstEditMs: 1_000,
        wer: 0,
        wordErrors: 0,
        referenceWords: 3,
        disposition: 'transcribed',
        critical: false,
        escalated: false,
        heardInFull: true,
      },
    });
    const records: TimingRecord[] = [
      shift('s-first', t0, 1),
      ...clipIds.map((id, i) => clip('s-first', id, 1, 10 + i, t0 + 60_000 * (i + 1))),
      shift('s-second', t0 + 2 * HOUR, 2),
      clip('s-second', clipIds[1] ?? '', 2, 30, t0 + 2 * HOUR + 60_000),
      shift('s-none', t0 + 4 * HOUR, 3),
    ];
    expect((await call('POST', '/v1/timing', { records })).status).toBe(200);

    await svc.addAccount(DEMO_SUPERVISOR);
    await createTeam(svc.service.core, GOLD_OPERATOR, 'north');
    await addTeamMember(svc.service.core, GOLD_OPERATOR, 'north', svc.reviewer.account);
    await addTeamMember(svc.service.core, GOLD_OPERATOR, 'north', DEMO_SUPERVISOR.account);
    await setTeamRole(svc.service.core, GOLD_OPERATOR, 'north', DEMO_SUPERVISOR.account, 'supervisor');
    const signIn = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await svc.signInBody({ account: DEMO_SUPERVISOR })),
    });
    const supervisor = ((await signIn.json()) as { token: string }).token;
    const answer = teamShiftsResponseSchema.parse(json(await call('GET', '/v1/team/shifts', undefined, supervisor)));
    const gold = new Map(answer.shifts.map((s) => [rowIdName(s.summary.shift.id), s.gold]));

    // First shift: every pair but the amended one. Words: 4 + 7 + 6 + 0 + 0 reference words.
    const first = gold.get('s-first');
    expect(first?.clips).toBe(PAIRS.length - 1);
    expect(first?.referenceWords).toBe(4 + 7 + 6);
    expect(first?.dispositionsAgreed).toBe(3);
    expect(first?.dispositionAgreement).toBeCloseTo(3 / 5, 10);
    expect(first?.wer).toBeCloseTo((first?.wordErrors ?? 0) / 17, 10);
    // Second shift: the amendment, right word for word.
    expect(gold.get('s-second')).toEqual({
      clips: 1,
      wordErrors: 0,
      // The marker is not a word: "call now".
      referenceWords: 2,
      wer: 0,
      dispositionsAgreed: 1,
      dispositionAgreement: 1,
    });
    expect(gold.get('s-none')).toEqual({
      clips: 0,
      wordErrors: 0,
      referenceWords: 0,
      wer: null,
      dispositionsAgreed: 0,
      dispositionAgreement: null,
    });
    // Gold clips are work like any other: the speed figures count them.
    expect(answer.shifts.find((s) => s.summary.shift.id === testRowId('s-first'))?.summary.clipsDone).toBe(
      PAIRS.length,
    );
  });
});
