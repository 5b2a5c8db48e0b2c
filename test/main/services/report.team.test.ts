import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/ipc/dispatcher';
import { createHandlerTable } from '../../../main/ipc/handlers';
import { silentLogger } from '../../../main/log/logger';
import type { ReportExporter } from '../../../main/services/report.service';
import { REVIEWER_COLUMNS } from '../../../main/report/report-csv';
import type { TimingRecord } from '../../../shared/sync/messages';
import { CLI_SOURCE } from '../../../service/audit';
import { DEMO_REVIEWER, DEMO_SUPERVISOR, type SeedAccount } from '../../../service/seed';
import { addTeamMember, createTeam, setTeamRole } from '../../../service/teams';
import { rowIdName, testRowId } from '../../support/ids';
import { holdAnnotations } from '../../support/held-annotations';
import { startTestService, type TestService } from '../../support/reference-service';
import { makeServices, type ServicesEnv } from '../../support/services';
import { signInVouched } from '../../support/signed-identity';
import { makeTempDir } from '../../support/temp-dir';
import { UNBOUNDED_ROOM } from '../../support/timing-room';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const OPERATOR = { operator: 'tests', source: CLI_SOURCE };
const BATCH_A = 'b-AAAAAAAAAAAA0001';
const BATCH_B = 'b-AAAAAAAAAAAA0002';
/** Text only a transcript, an ASR hypothesis or a note holds: no report may carry it. */
const CANARY = 'CANARY-words-of-a-caller';

const RV_LONG: SeedAccount = {
  account: 'reviewer-long',
  password: 'password of reviewer-long',
  totpSecret: DEMO_REVIEWER.totpSecret,
  pseudonym: 'rv-a-very-long-pseudonym-that-goes-on-and-on-for-the-layout-0001',
  role: 'reviewer',
};
const RV_OUTSIDE: SeedAccount = { ...RV_LONG, account: 'reviewer-outside', pseudonym: 'rv-outside' };

let seq = 0;
const shiftRecord = (id: string, pseudonym: string, startedAt: number): TimingRecord => ({
  id: `key1-${(seq += 1)}`,
  kind: 'shift',
  values: {
    id: testRowId(id),
    pseudonym,
    startedAt,
    startReason: 'first_clip',
    lastActivityAt: startedAt + HOUR,
    endedAt: startedAt + HOUR,
    endReason: 'sign_out',
  },
});
const clipRecord = (shiftId: string, n: number, at: number, batchId: string, handleMs: number): TimingRecord => ({
  id: `key1-${(seq += 1)}`,
  kind: 'clip',
  values: {
    shiftId: testRowId(shiftId),
    batchId,
    clipId: `c-AAAAAAAAAAAA${String(n).padStart(4, '0')}`,
    revision: 1,
    submittedAt: at,
    durationMs: 4_000,
    handleMs,
    activeMs: handleMs - 1_000,
    idleMs: 1_000,
    listenMs: 4_000,
    realTimeFactor: 2,
    plays: 1,
    replays: 0,
    seeks: 0,
    rateChanges: 0,
    edits: 1,
    firstEditMs: 500,
    wer: 0.1,
    wordErrors: 1,
    referenceWords: 10,
    disposition: 'transcribed',
    critical: false,
    escalated: n === 2,
    heardInFull: true,
  },
});
const breakRecord = (shiftId: string, startedAt: number): TimingRecord => ({
  id: `key1-${(seq += 1)}`,
  kind: 'break',
  values: {
    id: testRowId(`br-${shiftId}`),
    shiftId: testRowId(shiftId),
    trigger: 'escalations',
    startedAt,
    endedAt: startedAt + 5 * MIN,
    skipped: false,
  },
});

describe('the team report from the annotation service', () => {
  let svc: TestService;
  let env: ServicesEnv;
  let out: ReturnType<typeof makeTempDir>;
  let exporter: ReportExporter;
  let t0: number;

  beforeEach(async () => {
    svc = await startTestService();
    for (const a of [DEMO_SUPERVISOR, RV_LONG, RV_OUTSIDE]) {
      await svc.addAccount(a);
    }
    await createTeam(svc.service.core, OPERATOR, 'north');
    await createTeam(svc.service.core, OPERATOR, 'south');
    for (const [team, member] of [
      ['north', DEMO_REVIEWER],
      ['north', RV_LONG],
      ['north', DEMO_SUPERVISOR],
      ['south', RV_OUTSIDE],
    ] as const) {
      await addTeamMember(svc.service.core, OPERATOR, team, member.account);
    }
    await setTeamRole(svc.service.core, OPERATOR, 'north', DEMO_SUPERVISOR.account, 'supervisor');
    t0 = svc.now();
    const store = (a: SeedAccount, records: TimingRecord[]) =>
      svc.service.core.store.timing.add(a.account, records, t0, UNBOUNDED_ROOM);
    // The demo reviewer: a shift two days ago on batch A (with an escalation a break followed)
    // and one yesterday on batch B; the long-named reviewer: one shift today on batch A.
    const s1 = t0 - 2 * DAY;
    await store(DEMO_REVIEWER, [
      shiftRecord('sh-demo-1', DEMO_REVIEWER.pseudonym, s1),
      clipRecord('sh-demo-1', 1, s1 + 5 * MIN, BATCH_A, 20_000),
      clipRecord('sh-demo-1', 2, s1 + 10 * MIN, BATCH_A, 40_000),
      breakRecord('sh-demo-1', s1 + 12 * MIN),
      shiftRecord('sh-demo-2', DEMO_REVIEWER.pseudonym, t0 - DAY),
      clipRecord('sh-demo-2', 3, t0 - DAY + 5 * MIN, BATCH_B, 30_000),
    ]);
    await store(RV_LONG, [
      shiftRecord('sh-long-1', RV_LONG.pseudonym, t0 - 3 * HOUR),
      clipRecord('sh-long-1', 4, t0 - 3 * HOUR + 5 * MIN, BATCH_A, 10_000),
    ]);
    await store(RV_OUTSIDE, [shiftRecord('sh-outside-1', RV_OUTSIDE.pseudonym, t0 - 2 * HOUR)]);
    // The annotations those clip records are about: the service counts only work it holds.
    await holdAnnotations(svc, DEMO_REVIEWER.account, BATCH_A, ['c-AAAAAAAAAAAA0001', 'c-AAAAAAAAAAAA0002']);
    await holdAnnotations(svc, DEMO_REVIEWER.account, BATCH_B, ['c-AAAAAAAAAAAA0003']);
    await holdAnnotations(svc, RV_LONG.account, BATCH_A, ['c-AAAAAAAAAAAA0004']);
    await svc.service.core.store.ops.apply(
      'escalation',
      DEMO_REVIEWER.account,
      [
        {
          opId: randomUUID(),
          payload: {
            batchId: BATCH_A,
            clipId: 'c-AAAAAAAAAAAA0002',
            category: 'crime_or_abuse',
            note: CANARY,
            createdAt: s1 + 10 * MIN,
          },
          refusal: null,
        },
      ],
      t0,
    );

    // Second listens: the demo reviewer asked twice, the long-named reviewer answered one.
    const listens = svc.service.core.store.hearings;
    const [heard = ''] = await svc.addBatch('b-AAAAAAAAAAAA0003', 1);
    for (const [n, at] of [
      [1, s1 + 6 * MIN],
      [2, t0 - DAY + 6 * MIN],
    ] as const) {
      await listens.addRequest(
        {
          requestId: `00000000-0000-4000-8000-00000000000${n}`,
          requester: DEMO_REVIEWER.account,
          batchId: 'b-AAAAAAAAAAAA0003',
          clipId: heard,
          span: { start: 0, end: 4 },
          window: { startMs: 0, endMs: 1_000 },
          createdAt: at,
        },
        { max: 10, since: 0, now: at },
      );
    }
    await listens.take('00000000-0000-4000-8000-000000000001', RV_LONG.account, s1 + 7 * MIN);
    await listens.propose('00000000-0000-4000-8000-000000000001', RV_LONG.account, CANARY, s1 + 8 * MIN);

    out = makeTempDir('earmark-team-report-');
    exporter = {
      chooseFolder: () => Promise.resolve(out.dir),
      chooseFile: () => Promise.resolve(null),
      printPage: () => Promise.resolve(new Uint8Array()),
    };
    env = makeServices({ serviceUrl: svc.url, reportExporter: exporter });
  });
  afterEach(async () => {
    env.dispose();
    out.remove();
    await svc.stop();
  });

  const signInSupervisor = () =>
    env.services.sync.signIn({
      account: DEMO_SUPERVISOR.account,
      password: DEMO_SUPERVISOR.password,
      totp: svc.nextCode(DEMO_SUPERVISOR),
    });

  it('lists the team’s shifts from the service, newest first, filtered and paged', async () => {
    await signInSupervisor();
    const all = await env.services.reports.teamShifts({});
    expect(all).toMatchObject({ source: 'service', fallback: null, nextCursor: null });
    expect(all.shifts.map((s) => rowIdName(s.shift.id))).toEqual(['sh-long-1', 'sh-demo-2', 'sh-demo-1']);
    expect(all.to - all.from).toBe(7 * DAY);

    const byReviewer = await env.services.reports.teamShifts({ reviewer: DEMO_REVIEWER.pseudonym });
    expect(byReviewer.shifts.map((s) => rowIdName(s.shift.id))).toEqual(['sh-demo-2', 'sh-demo-1']);
    const byBatch = await env.services.reports.teamShifts({ batch: BATCH_A });
    expect(byBatch.shifts.map((s) => rowIdName(s.shift.id))).toEqual(['sh-long-1', 'sh-demo-1']);
    const window = await env.services.reports.teamShifts({ from: t0 - 36 * HOUR, to: t0 - 12 * HOUR });
    expect(window.shifts.map((s) => rowIdName(s.shift.id))).toEqual(['sh-demo-2']);

    // The service's own paging: give the cursor back with the same filters for the next page.
    const first = await env.services.reports.teamShifts({ limit: 2 });
    expect(first.shifts.map((s) => rowIdName(s.shift.id))).toEqual(['sh-long-1', 'sh-demo-2']);
    const second = await env.services.reports.teamShifts({
      limit: 2,
      from: first.from,
      to: first.to,
      cursor: first.nextCursor ?? '',
    });
    expect(second.shifts.map((s) => rowIdName(s.shift.id))).toEqual(['sh-demo-1']);
    expect(second.nextCursor).toBeNull();
    const outsider = await env.services.reports.teamShifts({ reviewer: RV_OUTSIDE.pseudonym });
    expect(outsider.shifts).toEqual([]);
  });

  it('builds the report and the CSV files from the service’s figures, with no note or transcript', async () => {
    await signInSupervisor();
    const listed = await env.services.reports.teamShifts({});
    const ids = listed.shifts.map((s) => s.shift.id);
    const report = env.services.reports.report(ids, 'service');
    expect(report.summaries.map((s) => rowIdName(s.shift.id))).toEqual(['sh-demo-1', 'sh-demo-2', 'sh-long-1']);
    expect(report.summaries).toEqual([...listed.shifts].reverse());
    expect(report.escalations).toEqual([
      { shiftId: testRowId('sh-demo-1'), at: t0 - 2 * DAY + 10 * MIN, category: 'crime_or_abuse' },
    ]);
    expect(report.clips.map((c) => c.handleMs)).toEqual([20_000, 40_000, 30_000, 10_000]);
    expect(report.secondListens).toEqual({
      from: listed.from,
      to: listed.to,
      reviewers: [
        { pseudonym: DEMO_REVIEWER.pseudonym, requested: 2, answeredForThem: 1, answered: 0 },
        { pseudonym: RV_LONG.pseudonym, requested: 0, answeredForThem: 0, answered: 1 },
      ],
    });
    // A report on one reviewer's shifts counts that reviewer only.
    expect(env.services.reports.report([testRowId('sh-long-1')], 'service').secondListens?.reviewers).toEqual([
      { pseudonym: RV_LONG.pseudonym, requested: 0, answeredForThem: 0, answered: 1 },
    ]);

    const { files } = await env.services.reports.exportCsv(ids, 'service');
    expect(files).toHaveLength(3);
    const reviewers = readFileSync(files[2] ?? '', 'utf8').split('\r\n');
    expect(reviewers[0]).toBe(REVIEWER_COLUMNS.join(','));
    // The demo reviewer: 2 shifts, 3 clips, handle times 20/30/40 s, one crime_or_abuse escalation a break followed.
    expect(reviewers[1]).toBe(
      `${DEMO_REVIEWER.pseudonym},2,3,6900000,87000,6813000,1.5652,124.1379,3,20000,25000,30000,35000,40000,1,1,0,0,0,1,1,300000,1,0,2,1,0`,
    );
    expect(reviewers[2]).toBe(
      `${RV_LONG.pseudonym},1,1,3600000,9000,3591000,1,,1,10000,10000,10000,10000,10000,0,0,0,0,0,0,0,0,0,0,0,0,1`,
    );
    const everything = JSON.stringify(report) + files.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(everything).not.toContain(CANARY);
    expect(everything).not.toContain('rv-outside');

    // A shift the service did not list is not reported on, whatever the renderer names.
    expect(() => env.services.reports.report([testRowId('sh-outside-1')], 'service')).toThrow(/No team shift/);
  });

  it('falls back to this workstation’s shifts, and says why, without a session or an answer', async () => {
    // A workstation with no session at the service (here: none configured) lists its own shifts.
    const station = makeServices();
    try {
      signInVouched(station.services, { pseudonym: DEMO_SUPERVISOR.pseudonym, role: 'supervisor' });
      await expect(station.services.reports.teamShifts({})).resolves.toMatchObject({
        source: 'workstation',
        fallback: 'signed_out',
        shifts: [],
        nextCursor: null,
      });
    } finally {
      station.dispose();
    }

    await signInSupervisor();
    await svc.stop();
    const offline = await env.services.reports.teamShifts({});
    expect(offline).toMatchObject({ source: 'workstation', fallback: 'unreachable', shifts: [] });
    // Restarted for afterEach's stop.
    svc = await startTestService();
  });

  it('refuses malformed team queries and selections at the IPC boundary', async () => {
    await signInSupervisor();
    const dispatcher = createDispatcher({
      handlers: createHandlerTable(env.services),
      allowedOrigin: 'app://earmark',
      logger: silentLogger,
    });
    const sender = { frameUrl: 'app://earmark/index.html', fromOwnWindow: true };
    for (const [channel, payload] of [
      ['reports:team', { from: 10, to: 5 }],
      ['reports:team', { from: 0, to: 93 * DAY }],
      ['reports:team', { reviewer: '../rv' }],
      ['reports:team', { cursor: 'not a cursor' }],
      ['reports:team', { limit: 101 }],
      ['reports:team', { note: 'x' }],
      ['reports:shift', { shiftIds: ['sh/1'], source: 'service' }],
      ['reports:exportCsv', { shiftIds: ['sh-1'], source: 'elsewhere' }],
    ] as const) {
      const result = await dispatcher.invoke(sender, channel, payload);
      expect(result, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    await expect(dispatcher.invoke(sender, 'reports:team', { limit: 1 })).resolves.toMatchObject({
      ok: true,
      value: { source: 'service', shifts: [{ shift: { id: testRowId('sh-long-1') } }] },
    });
  });

  it('refuses the team list to a reviewer', async () => {
    await env.services.sync.signIn(svc.credentials());
    await expect(env.services.reports.teamShifts({})).rejects.toThrow(/supervisors only/);
  });
});
