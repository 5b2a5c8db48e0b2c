import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/ipc/dispatcher';
import { createHandlerTable } from '../../../main/ipc/handlers';
import { silentLogger } from '../../../main/log/logger';
import type { ReportExporter } from '../../../main/services/report.service';
import { CLIP_COLUMNS, SHIFT_COLUMNS } from '../../../main/report/report-csv';
import { writeTestPackage } from '../../support/packages';
import { makeServices, makeTestClock, serviceError, type ServicesEnv, type TestClock } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { fakeRenderer } from '../../support/timing';
import { signInVouched } from '../../support/signed-identity';

const START = Date.UTC(2025, 2, 3, 8, 0);
const TRANSCRIPT = 'please call my bank, "urgent"';

describe('shift reports', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  let out: ReturnType<typeof makeTempDir>;
  let clock: TestClock;
  let exporter: ReportExporter & { folder: string | null; file: string | null; printed: number };
  let shiftId: string;

  beforeEach(() => {
    clock = makeTestClock(START);
    out = makeTempDir('earmark-report-out-');
    exporter = {
      folder: out.dir,
      file: join(out.dir, 'report.pdf'),
      printed: 0,
      chooseFolder: () => Promise.resolve(exporter.folder),
      chooseFile: () => Promise.resolve(exporter.file),
      printPage: () => {
        exporter.printed += 1;
        return Promise.resolve(new TextEncoder().encode('%PDF-1.7 test'));
      },
    };
    env = makeServices({ clock, reportExporter: exporter });
    tmp = makeTempDir('earmark-report-');
    const batchId = env.services.vault.importPackage(
      writeTestPackage(join(tmp.dir, 'b.earmark'), { recipient: env.services.vault.deviceKey().publicKey }).file,
    ).batchId;
    const r = fakeRenderer(() => env.services, clock, batchId);
    env.services.session.signIn({ pseudonym: 'rv-1', role: 'reviewer' });
    for (const [clipId, ms] of [
      ['c-AAAAAAAAAAAAAAA1', 12_000],
      ['c-AAAAAAAAAAAAAAA2', 8_000],
    ] as const) {
      r.event('shown', {}, clipId);
      r.event('play', { positionMs: 0 }, clipId);
      clock.advance(ms);
      r.event('heard', {}, clipId);
      r.event('submit', {}, clipId);
      r.flush();
      if (clipId === 'c-AAAAAAAAAAAAAAA2') {
        env.services.annotations.escalate({ batchId, clipId, category: 'self_harm', note: 'a private note' });
      }
      env.services.annotations.submit({
        batchId,
        clipId,
        basedOnRevision: 0,
        disposition: clipId === 'c-AAAAAAAAAAAAAAA1' ? 'transcribed' : 'tv_media',
        body: { transcript: TRANSCRIPT, critical: [], entities: [] },
      });
    }
    shiftId = env.services.shifts.current()?.id ?? '';
  });
  afterEach(() => {
    env.dispose();
    tmp.remove();
    out.remove();
  });

  const asSupervisor = (): void => signInVouched(env.services, { pseudonym: 'sv-1', role: 'supervisor' });

  it('refuses every report call to a reviewer with FORBIDDEN_ROLE, through the IPC dispatcher', async () => {
    const dispatcher = createDispatcher({
      handlers: createHandlerTable(env.services),
      allowedOrigin: 'app://earmark',
      logger: silentLogger,
    });
    const sender = { frameUrl: 'app://earmark/index.html', fromOwnWindow: true };
    for (const [channel, payload] of [
      ['reports:shifts', undefined],
      ['reports:shift', { shiftIds: [shiftId] }],
      ['reports:exportCsv', { shiftIds: [shiftId] }],
      ['reports:exportPdf', undefined],
      ['reports:team', {}],
    ] as const) {
      const result = await dispatcher.invoke(sender, channel, payload);
      expect(result, channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    }
    expect(exporter.printed).toBe(0);
    expect(readdirSync(out.dir)).toEqual([]);
  });

  it('reports a shift’s figures to a supervisor, with no transcript or note', () => {
    asSupervisor();
    const report = env.services.reports.report([shiftId]);
    expect(report.summaries).toMatchObject([
      {
        shift: { id: shiftId, pseudonym: 'rv-1', endReason: 'sign_out' },
        clipsDone: 2,
        escalations: 1,
        medianHandleMs: 10_000,
      },
    ]);
    expect(report.clips.map((c) => [c.clipId, c.handleMs, c.disposition, c.escalated])).toEqual([
      ['c-AAAAAAAAAAAAAAA1', 12_000, 'transcribed', false],
      ['c-AAAAAAAAAAAAAAA2', 8_000, 'tv_media', true],
    ]);
    expect(report.escalations).toEqual([{ shiftId, at: expect.any(Number) as number, category: 'self_harm' }]);
    expect(JSON.stringify(report)).not.toMatch(/bank|urgent|private/);
    expect(serviceError('NOT_FOUND', () => env.services.reports.report(['no-such-shift']))).toMatch(/no-such-shift/);
  });

  it('writes a per-clip, a per-shift and a per-reviewer CSV file into the chosen folder', async () => {
    asSupervisor();
    const { files } = await env.services.reports.exportCsv([shiftId]);
    expect(files.map((f) => f.slice(out.dir.length + 1))).toEqual([
      'earmark-shift-report-2025-03-03-0800-clips.csv',
      'earmark-shift-report-2025-03-03-0800-shifts.csv',
      'earmark-shift-report-2025-03-03-0800-reviewers.csv',
    ]);
    const clips = readFileSync(files[0] ?? '', 'utf8');
    const shifts = readFileSync(files[1] ?? '', 'utf8');
    const clipLines = clips.split('\r\n');
    expect(clipLines[0]).toBe(CLIP_COLUMNS.join(','));
    expect(clipLines).toHaveLength(4);
    expect(clipLines[3]).toBe('');
    expect(clipLines[1]).toMatch(
      new RegExp(
        `^${shiftId},rv-1,[^,]+,c-AAAAAAAAAAAAAAA1,1,2025-03-03T08:00:12.000Z,300,12000,12000,0,12000,40,1,0,0,0,0,,1,5,5,transcribed,false,false,true,false$`,
      ),
    );
    expect(shifts.split('\r\n')[0]).toBe(SHIFT_COLUMNS.join(','));
    expect(shifts.split('\r\n')[1]).toMatch(
      new RegExp(
        `^${shiftId},rv-1,2025-03-03T08:00:00.000Z,sign_in,2025-03-03T08:00:20.000Z,sign_out,20000,0,20000,0,0,0,2,2,0,,10000,10000,20000,20000,1,0,0,1,0,,,,$`,
      ),
    );
    expect(clips + shifts).not.toMatch(/bank|urgent|private/);
    // A second export beside the first keeps both.
    const again = await env.services.reports.exportCsv([shiftId]);
    expect(again.files[0]).toMatch(/-clips-2\.csv$/);
  });

  it('prints the report page to the PDF file chosen, and writes nothing when cancelled', async () => {
    asSupervisor();
    await expect(env.services.reports.exportPdf()).resolves.toEqual({ file: join(out.dir, 'report.pdf') });
    expect(readFileSync(join(out.dir, 'report.pdf'), 'utf8')).toBe('%PDF-1.7 test');
    exporter.file = null;
    await expect(env.services.reports.exportPdf()).resolves.toEqual({ file: null });
    expect(exporter.printed).toBe(1);
  });

  it('replaces a PDF chosen over an earlier file whole, owner-only, with nothing left beside it', async () => {
    asSupervisor();
    const file = join(out.dir, 'report.pdf');
    writeFileSync(file, 'an earlier report', { mode: 0o644 });
    await expect(env.services.reports.exportPdf()).resolves.toEqual({ file });
    expect(readFileSync(file, 'utf8')).toBe('%PDF-1.7 test');
    // Written in place, the file would have kept the mode others could read it by.
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(out.dir)).toEqual(['report.pdf']);
  });

  it('says exports need the desktop app where there is none', async () => {
    env.dispose();
    env = makeServices({ clock });
    asSupervisor();
    await expect(env.services.reports.exportPdf()).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('ends a shift left open past the idle limit at its last activity, with clips per hour with and without idle time', () => {
    clock.advance(20 * 3_600_000);
    asSupervisor();
    const [summary] = env.services.reports.report([shiftId]).summaries;
    // Two clips in 20 s of work: a lapsed shift does not run on to the supervisor's sign-in.
    expect(summary).toMatchObject({
      shift: { id: shiftId, endReason: 'lapsed', endedAt: START + 20_000 },
      durationMs: 20_000,
      clipsPerHour: null,
    });
  });

  it('gives clips per hour without idle time beside the rate over work time', () => {
    // The reviewer is still signed in, three hours after their last clip: the shift is live.
    clock.advance(3 * 3_600_000);
    const live = env.services.shifts.current();
    expect(live?.id).toBe(shiftId);
    asSupervisor();
    const [summary] = env.services.reports.report([shiftId]).summaries;
    expect(summary).toMatchObject({ shift: { endReason: 'sign_out' }, activeMs: 20_000 });
    expect(summary?.idleMs).toBe((summary?.workMs ?? 0) - 20_000);
    expect(summary?.clipsPerHour).toBeCloseTo(2 / 3, 2);
    // 20 s of active time is under the minute a rate needs.
    expect(summary?.clipsPerActiveHour).toBeNull();
  });

  it('does not list a supervisor’s own shift without work', () => {
    asSupervisor();
    env.services.shifts.ensure();
    const listed = env.services.reports.shifts().map((s) => s.shift.pseudonym);
    expect(listed).toEqual(['rv-1']);
  });
});
