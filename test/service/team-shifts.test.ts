import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toTimingRecord } from '../../main/services/sync/timing-records';
import type { TimingRecord } from '../../shared/sync/messages';
import { teamShiftsResponseSchema, type TeamShiftsResponse } from '../../shared/sync/team-shifts';
import { SHIFT_LAPSE_MS } from '../../shared/timing/shift-summary';
import { CLI_SOURCE } from '../../service/audit';
import { DEMO_REVIEWER, DEMO_SUPERVISOR, type SeedAccount } from '../../service/seed';
import { addTeamMember, createTeam, setTeamRole } from '../../service/teams';
import { rowIdName, testRowId } from '../support/ids';
import { writeTestPackage } from '../support/packages';
import { holdAnnotations as holdRevisions } from '../support/held-annotations';
import { startTestService, type TestService } from '../support/reference-service';
import { makeServices, makeTestClock } from '../support/services';
import { makeTempDir } from '../support/temp-dir';
import { fakeRenderer } from '../support/timing';
import { signInVouched } from '../support/signed-identity';
import { UNBOUNDED_ROOM } from '../support/timing-room';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OPERATOR = { operator: 'tests', source: CLI_SOURCE };

const account = (name: string, pseudonym: string, role: SeedAccount['role']): SeedAccount => ({
  account: name,
  password: `password of ${name}`,
  totpSecret: DEMO_REVIEWER.totpSecret,
  pseudonym,
  role,
});
const RV_B = account('reviewer-b', 'rv-b', 'reviewer');
const RV_C = account('reviewer-c', 'rv-c', 'reviewer');
const SV_SOUTH = account('supervisor-s', 'sv-s', 'supervisor');

/** Record ids for records whose version does not matter to a test, each new. */
let unnamed = 1_000;

/** A shift record, a version of it (`seq`), as a workstation uploads it. */
const shift = (
  id: string,
  startedAt: number,
  o: { seq?: number; endedAt?: number | null; lastActivityAt?: number; pseudonym?: string } = {},
): TimingRecord => ({
  id: `key1-${o.seq ?? (unnamed += 1)}`,
  kind: 'shift',
  values: {
    id: testRowId(id),
    pseudonym: o.pseudonym ?? 'rv-x',
    startedAt,
    startReason: 'sign_in',
    lastActivityAt: o.lastActivityAt ?? startedAt,
    endedAt: o.endedAt === undefined ? startedAt + HOUR : o.endedAt,
    endReason: o.endedAt === null ? null : 'sign_out',
  },
});
const clip = (shiftId: string, clipId: string, o: { seq: number; batchId?: string; at: number }): TimingRecord => ({
  id: `key1-${o.seq}`,
  kind: 'clip',
  values: {
    shiftId: testRowId(shiftId),
    batchId: o.batchId ?? 'b-AAAAAAAAAAAAAAA1',
    clipId,
    revision: 1,
    submittedAt: o.at,
    durationMs: 4_000,
    handleMs: 20_000,
    activeMs: 15_000,
    idleMs: 5_000,
    listenMs: 5_000,
    realTimeFactor: 3.75,
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

describe('GET /v1/team/shifts', () => {
  let svc: TestService;

  beforeEach(async () => {
    svc = await startTestService();
    for (const a of [RV_B, RV_C, DEMO_SUPERVISOR, SV_SOUTH]) {
      await svc.addAccount(a);
    }
    await createTeam(svc.service.core, OPERATOR, 'north');
    await createTeam(svc.service.core, OPERATOR, 'south');
    for (const [team, member] of [
      ['north', DEMO_REVIEWER],
      ['north', RV_B],
      ['north', DEMO_SUPERVISOR],
      ['south', RV_C],
      ['south', SV_SOUTH],
    ] as const) {
      await addTeamMember(svc.service.core, OPERATOR, team, member.account);
    }
    await setTeamRole(svc.service.core, OPERATOR, 'north', DEMO_SUPERVISOR.account, 'supervisor');
    await setTeamRole(svc.service.core, OPERATOR, 'south', SV_SOUTH.account, 'supervisor');
  });
  afterEach(async () => {
    await svc.stop();
  });

  const store = (a: SeedAccount, records: TimingRecord[]) =>
    svc.service.core.store.timing.add(a.account, records, svc.now(), UNBOUNDED_ROOM);
  const holdAnnotations = (a: SeedAccount, batchId: string, clipIds: readonly string[]) =>
    holdRevisions(svc, a.account, batchId, clipIds);
  const tokenOf = async (a: SeedAccount): Promise<string> => {
    const r = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await svc.signInBody({ account: a })),
    });
    expect(r.status).toBe(201);
    return ((await r.json()) as { token: string }).token;
  };
  const get = async (token: string, query = ''): Promise<{ status: number; body: unknown }> => {
    const r = await fetch(`${svc.url}/v1/team/shifts${query}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, body: (await r.json()) as unknown };
  };
  const page = async (token: string, query = ''): Promise<TeamShiftsResponse> => {
    const r = await get(token, query);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return teamShiftsResponseSchema.parse(r.body);
  };
  const ids = (p: TeamShiftsResponse): string[] => p.shifts.map((s) => rowIdName(s.summary.shift.id));

  it('shows a supervisor the shifts of their own team only, newest first, under the service’s pseudonyms', async () => {
    const t = svc.now();
    await store(DEMO_REVIEWER, [shift('s-a1', t - 3 * DAY), shift('s-a2', t - DAY)]);
    await store(RV_B, [shift('s-b1', t - 2 * DAY, { pseudonym: 'forged' })]);
    await store(RV_C, [shift('s-c1', t - 2 * HOUR)]);
    const north = await page(await tokenOf(DEMO_SUPERVISOR));
    expect(ids(north)).toEqual(['s-a2', 's-b1', 's-a1']);
    expect(north.shifts.map((s) => s.summary.shift.pseudonym)).toEqual([
      DEMO_REVIEWER.pseudonym,
      'rv-b',
      DEMO_REVIEWER.pseudonym,
    ]);
    expect(north.nextCursor).toBeNull();
    expect(ids(await page(await tokenOf(SV_SOUTH)))).toEqual(['s-c1']);
  });

  it('refuses a reviewer with 403 and records the refusal', async () => {
    const r = await get(await tokenOf(DEMO_REVIEWER));
    expect(r).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const audit = await svc.query<{ outcome: string; actor: string; code: string }>(
      "SELECT outcome, actor, code FROM audit_events WHERE action = 'team.shifts.list'",
    );
    expect(audit).toEqual([{ outcome: 'refused', actor: DEMO_REVIEWER.account, code: 'forbidden' }]);
    expect((await get('not-a-token')).status).toBe(401);
  });

  it('covers the last seven days unless told otherwise, and filters by window, reviewer and batch', async () => {
    const token = await tokenOf(DEMO_SUPERVISOR);
    const t = svc.now();
    await store(DEMO_REVIEWER, [
      shift('s-old', t - 8 * DAY),
      shift('s-new', t - 6 * DAY),
      clip('s-new', 'c-AAAAAAAAAAAAAAA1', { seq: 2, batchId: 'b-AAAAAAAAAAAAAAAX', at: t - 6 * DAY + 1 }),
    ]);
    await store(RV_B, [
      shift('s-b', t - DAY),
      clip('s-b', 'c-AAAAAAAAAAAAAAA1', { seq: 2, batchId: 'b-AAAAAAAAAAAAAAAY', at: t - DAY + 1 }),
      // The window's first moment is in it; the moment before is not.
      shift('s-edge', t - 7 * DAY),
      shift('s-before', t - 7 * DAY - 1),
    ]);
    const all = await page(token);
    expect(ids(all)).toEqual(['s-b', 's-new', 's-edge']);
    expect(all).toMatchObject({ from: t - 7 * DAY, to: t });
    const wider = `?from=${new Date(t - 9 * DAY).toISOString()}&to=${new Date(t - 5 * DAY).toISOString()}`;
    expect(ids(await page(token, wider))).toEqual(['s-new', 's-edge', 's-before', 's-old']);
    expect(ids(await page(token, '?reviewer=rv-b'))).toEqual(['s-b', 's-edge']);
    // A batch filter lists shifts with clips on it from a reviewer the service holds work on it from.
    expect(ids(await page(token, '?batch=b-AAAAAAAAAAAAAAAX'))).toEqual([]);
    await holdAnnotations(DEMO_REVIEWER, 'b-AAAAAAAAAAAAAAAX', ['c-AAAAAAAAAAAAAAA1']);
    expect(ids(await page(token, '?batch=b-AAAAAAAAAAAAAAAX'))).toEqual(['s-new']);
    expect(ids(await page(token, '?reviewer=rv-c'))).toEqual([]);
  });

  it('pages with limit and a cursor that a shift stored meanwhile does not move', async () => {
    const t = svc.now();
    await store(
      DEMO_REVIEWER,
      [1, 2, 3, 4, 5].map((n) => shift(`s-${n}`, t - n * HOUR, { seq: n })),
    );
    const token = await tokenOf(DEMO_SUPERVISOR);
    const first = await page(token, '?limit=2');
    expect(ids(first)).toEqual(['s-1', 's-2']);
    // A newer shift and a new version of one already listed arrive between pages.
    await store(RV_B, [shift('s-0', t - HOUR / 2)]);
    await store(DEMO_REVIEWER, [shift('s-1', t - HOUR, { seq: 9, endedAt: t })]);
    const second = await page(token, `?limit=2&cursor=${first.nextCursor ?? ''}`);
    expect(ids(second)).toEqual(['s-3', 's-4']);
    const third = await page(token, `?limit=2&cursor=${second.nextCursor ?? ''}`);
    expect(ids(third)).toEqual(['s-5']);
    expect(third.nextCursor).toBeNull();
    // A cursor carries its query: asking with other filters is refused.
    expect((await get(token, `?reviewer=rv-b&cursor=${first.nextCursor ?? ''}`)).status).toBe(400);
  });

  it('answers a malformed query with 400 naming the parameter', async () => {
    const token = await tokenOf(DEMO_SUPERVISOR);
    for (const [query, field] of [
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=ten', 'limit'],
      ['?from=yesterday', 'from'],
      ['?from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z', 'from'],
      ['?from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z', 'from'],
      ['?reviewer=no%20spaces', 'reviewer'],
      ['?cursor=bm90LWEtY3Vyc29y', 'cursor'],
      ['?limit=1&limit=2', 'limit'],
      ['?transcript=1', 'query'],
    ] as const) {
      const r = await get(token, query);
      expect(r.status, query).toBe(400);
      expect((r.body as { error: { code: string } }).error.code, query).toBe('bad_request');
      expect((r.body as { error: { message: string } }).error.message, query).toMatch(
        new RegExp(field === 'query' ? 'transcript|query' : `^${field}`),
      );
    }
  });

  it('reduces each shift, clip and break to its latest version, and ends a lapsed shift at its last activity', async () => {
    const t = svc.now();
    const start = t - 30 * HOUR;
    await store(DEMO_REVIEWER, [
      shift('s-1', start, { seq: 1, endedAt: null, lastActivityAt: start }),
      clip('s-1', 'c-AAAAAAAAAAAAAAA1', { seq: 2, at: start + 20_000 }),
      clip('s-1', 'c-AAAAAAAAAAAAAAA1', { seq: 3, at: start + 20_000 }),
      shift('s-1', start, { seq: 4, endedAt: null, lastActivityAt: start + 30_000 }),
      {
        id: 'key1-5',
        kind: 'break',
        values: {
          id: testRowId('k-1'),
          shiftId: testRowId('s-1'),
          trigger: 'manual',
          startedAt: start + 25_000,
          endedAt: null,
          skipped: false,
        },
      },
      {
        id: 'key1-6',
        kind: 'break',
        values: {
          id: testRowId('k-1'),
          shiftId: testRowId('s-1'),
          trigger: 'manual',
          startedAt: start + 25_000,
          endedAt: start + 28_000,
          skipped: false,
        },
      },
    ]);
    await holdAnnotations(DEMO_REVIEWER, 'b-AAAAAAAAAAAAAAA1', ['c-AAAAAAAAAAAAAAA1']);
    const [s] = (await page(await tokenOf(DEMO_SUPERVISOR))).shifts;
    expect(s?.clips).toHaveLength(1);
    expect(s?.breaks).toMatchObject([{ id: testRowId('k-1'), endedAt: start + 28_000 }]);
    expect(s?.summary).toMatchObject({
      shift: { id: testRowId('s-1'), endedAt: start + 30_000, endReason: 'lapsed' },
      durationMs: 30_000,
      breakMs: 3_000,
      clipsDone: 1,
      submits: 1,
    });
    expect(30 * HOUR).toBeGreaterThan(SHIFT_LAPSE_MS);
  });

  it('counts only clips whose annotation the service holds from the reviewer, whatever timing records claim', async () => {
    const start = svc.now() - 2 * HOUR;
    // Another reviewer's batch, and one that does not exist: records about them are shape-checked only.
    const theirs = 'b-THE1RSAAAAAAAAAA';
    await svc.addBatch(theirs, 1);
    await holdAnnotations(RV_B, theirs, ['c-AAAAAAAAAAAAAAA7']);
    await holdAnnotations(DEMO_REVIEWER, 'b-AAAAAAAAAAAAAAA1', ['c-AAAAAAAAAAAAAAA1']);
    const claimed = Array.from({ length: 300 }, (_, i) =>
      clip('s-9', `c-AAAAAAAAAAAA${i.toString(16).toUpperCase().padStart(4, '0')}`, {
        seq: 100 + i,
        batchId: i % 2 === 0 ? theirs : 'b-N0SVCHBATCHAAAA',
        at: start + 1_000 + i,
      }),
    );
    await store(DEMO_REVIEWER, [
      shift('s-9', start, { seq: 1 }),
      clip('s-9', 'c-AAAAAAAAAAAAAAA1', { seq: 2, at: start + 500 }),
      ...claimed,
      // The revision RV_B did, claimed as this reviewer's own.
      clip('s-9', 'c-AAAAAAAAAAAAAAA7', { seq: 99, batchId: theirs, at: start + 600 }),
    ]);
    const token = await tokenOf(DEMO_SUPERVISOR);
    const [s] = (await page(token, `?reviewer=${DEMO_REVIEWER.pseudonym}`)).shifts;
    expect(s?.summary.clipsDone).toBe(1);
    expect(s?.clips.map((c) => c.clipId)).toEqual(['c-AAAAAAAAAAAAAAA1']);
    // Nor is the shift listed under a batch it only claims, even once the reviewer holds work there.
    expect((await page(token, `?reviewer=${DEMO_REVIEWER.pseudonym}&batch=${theirs}`)).shifts).toEqual([]);
    await holdAnnotations(DEMO_REVIEWER, theirs, ['c-AAAAAAAAAAAAAAA8']);
    expect((await page(token, `?reviewer=${DEMO_REVIEWER.pseudonym}&batch=${theirs}`)).shifts).toEqual([]);
    expect((await page(token, `?batch=b-AAAAAAAAAAAAAAA1`)).shifts.map((x) => rowIdName(x.summary.shift.id))).toEqual([
      's-9',
    ]);
  });

  it('counts a real revision once, in the shift that first named it, however many shifts claim it', async () => {
    const start = svc.now() - 5 * HOUR;
    await holdAnnotations(DEMO_REVIEWER, 'b-AAAAAAAAAAAAAAA1', ['c-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA2']);
    await store(DEMO_REVIEWER, [
      shift('s-real', start, { seq: 1 }),
      clip('s-real', 'c-AAAAAAAAAAAAAAA1', { seq: 2, at: start + 1_000 }),
      clip('s-real', 'c-AAAAAAAAAAAAAAA2', { seq: 3, at: start + 2_000 }),
    ]);
    // Made-up shifts sent later, each repeating the same clip records.
    for (const [n, id] of ['s-copy-1', 's-copy-2'].entries()) {
      await store(DEMO_REVIEWER, [
        shift(id, start + (n + 1) * HOUR, { seq: 10 + n * 10 }),
        clip(id, 'c-AAAAAAAAAAAAAAA1', { seq: 11 + n * 10, at: start + 1_000 }),
        clip(id, 'c-AAAAAAAAAAAAAAA2', { seq: 12 + n * 10, at: start + 2_000 }),
      ]);
    }
    const shifts = (await page(await tokenOf(DEMO_SUPERVISOR), `?reviewer=${DEMO_REVIEWER.pseudonym}`)).shifts;
    expect(shifts.map((x) => [rowIdName(x.summary.shift.id), x.summary.clipsDone])).toEqual([
      ['s-copy-2', 0],
      ['s-copy-1', 0],
      ['s-real', 2],
    ]);
  });

  it('gives the same figures as the workstation’s own report for the same shifts', async () => {
    const clock = makeTestClock(svc.now());
    const env = makeServices({ clock });
    const tmp = makeTempDir('earmark-team-');
    try {
      const batchId = env.services.vault.importPackage(
        writeTestPackage(join(tmp.dir, 'b.earmark'), { recipient: env.services.vault.deviceKey().publicKey }).file,
      ).batchId;
      const r = fakeRenderer(() => env.services, clock, batchId);
      const escalations: number[] = [];
      env.services.session.signIn({ pseudonym: DEMO_REVIEWER.pseudonym, role: 'reviewer' });
      const upload = async (): Promise<void> => {
        const rows = env.services.timing.pendingUpload(10_000);
        const keyId = env.services.vault.deviceKey().keyId;
        await store(
          DEMO_REVIEWER,
          rows.map((row) => toTimingRecord(keyId, row)),
        );
        env.services.timing.markUploaded(rows.map((row) => row.seq));
      };
      for (const [clipId, ms] of [
        ['c-AAAAAAAAAAAAAAA1', 12_000],
        ['c-AAAAAAAAAAAAAAA2', 40_000],
        ['c-AAAAAAAAAAAAAAA3', 25_000],
      ] as const) {
        r.event('shown', {}, clipId);
        r.event('play', { positionMs: 0 }, clipId);
        clock.advance(ms);
        r.event('heard', {}, clipId);
        r.event('submit', {}, clipId);
        r.flush();
        if (clipId === 'c-AAAAAAAAAAAAAAA2') {
          escalations.push(
            env.services.annotations.escalate({ batchId, clipId, category: 'self_harm', note: 'a private note' })
              .createdAt,
          );
        }
        env.services.annotations.submit({
          batchId,
          clipId,
          basedOnRevision: 0,
          disposition: clipId === 'c-AAAAAAAAAAAAAAA2' ? 'tv_media' : 'transcribed',
          body: { transcript: 'words here', critical: [], entities: [] },
        });
        r.event('leave', {}, clipId);
        r.flush();
        clock.advance(30_000);
        if (clipId === 'c-AAAAAAAAAAAAAAA1') {
          // A first upload mid-shift: the service then holds two versions of the shift.
          await upload();
          env.services.shifts.startBreak('manual');
          clock.advance(60_000);
          env.services.shifts.endBreak();
        }
      }
      await upload();
      // The service holds the three annotations: the figures count only work it holds.
      await holdAnnotations(DEMO_REVIEWER, batchId, ['c-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA2', 'c-AAAAAAAAAAAAAAA3']);
      const shiftId = env.services.shifts.current()?.id ?? '';
      // The escalation reaches the service as its op, which says when it was saved.
      await svc.service.core.store.ops.apply(
        'escalation',
        DEMO_REVIEWER.account,
        escalations.map((createdAt) => ({
          opId: randomUUID(),
          payload: { batchId, clipId: 'c-AAAAAAAAAAAAAAA2', category: 'self_harm', note: 'a private note', createdAt },
          refusal: null,
        })),
        svc.now(),
      );
      // The supervisor signs in on this workstation (which ends the shift) and at the service.
      signInVouched(env.services, { pseudonym: DEMO_SUPERVISOR.pseudonym, role: 'supervisor' });
      await upload();
      const client = env.services.reports.report([shiftId]);
      const team = await page(await tokenOf(DEMO_SUPERVISOR));
      expect(client.summaries[0]).toMatchObject({ clipsDone: 3, escalations: 1, breaks: 1 });
      expect(JSON.stringify(team)).not.toMatch(/private|words here/);
      expect(team.shifts).toHaveLength(1);
      expect(team.shifts[0]?.summary).toEqual(client.summaries[0]);
      expect(team.shifts[0]?.clips).toEqual(client.clips);
      expect(team.shifts[0]?.breaks).toEqual(client.breaks);
      expect(team.shifts[0]?.escalations).toEqual(client.escalations.map((e) => e.at));
      expect(team.shifts[0]?.escalationCategories).toEqual(
        client.escalations.map((e) => ({ at: e.at, category: e.category })),
      );
    } finally {
      env.dispose();
      tmp.remove();
    }
  });
});
