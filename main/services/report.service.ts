/**
 * Shift reports for supervisors: the figures of chosen shifts, as data for the report page, as
 * two CSV files, and as a PDF of the report page. Only a supervisor may read or export them.
 * Reports hold ids, pseudonyms, times and numbers: no transcript text and no audio.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '../../shared/domain/session';
import type { ShiftReport, ShiftSummary } from '../../shared/domain/timing';
import type { ShiftRepository, ShiftRow } from '../db/repositories/shift.repository';
import type { TimingRepository } from '../db/repositories/timing.repository';
import type { Logger } from '../log/logger';
import { clipsCsv, shiftsCsv } from '../report/report-csv';
import { shiftEnd, summariseShift } from '../../shared/timing/shift-summary';
import { ServiceError } from './service-error';
import type { TrustedClock } from './trusted-clock';

/** How many shifts the report screen lists to choose from. */
export const RECENT_SHIFTS = 50;

/**
 * What saving a report needs from the desktop: the shell answers with Electron's dialogs and
 * webContents.printToPDF. Each chooser returns null when the supervisor cancels.
 */
export type ReportExporter = {
  chooseFolder(): Promise<string | null>;
  chooseFile(suggestedName: string): Promise<string | null>;
  /** The report page as it is on screen, printed to PDF. */
  printPage(): Promise<Uint8Array>;
};

export type ReportDeps = {
  readonly shifts: ShiftRepository;
  readonly timing: TimingRepository;
  readonly clock: TrustedClock;
  /** The role the service's signed identity vouches for now (session.service.ts `vouchedRole`). */
  readonly vouchedRole: () => Role | null;
  /** The pseudonym signed in on this workstation, to leave a supervisor's own empty shift out. */
  readonly ownPseudonym: () => string;
  readonly logger: Logger;
  /** Absent where there is no desktop (the browser test harness): exports are then refused. */
  readonly exporter?: ReportExporter | undefined;
};

/** `2025-03-04-0930`, in UTC, for file names. */
const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', '-').replace(':', '');

/** Writes `data` to `dir/name`, or `name-2`, `name-3`… when a file of that name exists. */
function writeNew(dir: string, base: string, ext: string, data: string): string {
  for (let n = 1; ; n += 1) {
    const file = join(dir, n === 1 ? `${base}.${ext}` : `${base}-${n}.${ext}`);
    try {
      writeFileSync(file, data, { flag: 'wx', mode: 0o600 });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 99) {
        throw error;
      }
    }
  }
}

export function createReportService(d: ReportDeps) {
  const requireSupervisor = (): void => {
    // Only a role the service signed counts: a role row edited in the database grants nothing.
    if (d.vouchedRole() !== 'supervisor') {
      throw new ServiceError('FORBIDDEN_ROLE', 'Shift reports are for supervisors only.');
    }
  };
  const requireExporter = (): ReportExporter => {
    if (!d.exporter) {
      throw new ServiceError('UNAVAILABLE', 'Saving a report needs the desktop app.');
    }
    return d.exporter;
  };
  // Metrics flags are sealed: each row is opened in main, so a shift's rows are read once per report.
  const summarise = (shift: ShiftRow, now: number, clips = d.timing.metricsOfShift(shift.id)): ShiftSummary =>
    summariseShift({
      shift,
      now,
      clips,
      breaks: d.shifts.breaksOf(shift.id),
      escalations: d.shifts.escalationTimes(shift.startedAt, shiftEnd(shift, now)),
    });

  const report = (shiftIds: readonly string[]): ShiftReport => {
    requireSupervisor();
    const now = d.clock.now();
    const shifts = [...new Set(shiftIds)].map((id) => {
      const shift = d.shifts.find(id);
      if (!shift) {
        throw new ServiceError('NOT_FOUND', `No shift "${id}" on this workstation.`);
      }
      return shift;
    });
    shifts.sort((a, b) => a.startedAt - b.startedAt);
    const clips = shifts.map((s) => d.timing.metricsOfShift(s.id));
    return {
      generatedAt: now,
      summaries: shifts.map((s, i) => summarise(s, now, clips[i])),
      clips: clips.flat(),
      breaks: shifts.flatMap((s) => d.shifts.breaksOf(s.id)),
      escalations: shifts.flatMap((s) =>
        d.shifts.escalationTimes(s.startedAt, shiftEnd(s, now)).map((at) => ({ shiftId: s.id, at })),
      ),
    };
  };

  return {
    /**
     * The latest shifts on this workstation, newest first, with their figures. A supervisor's
     * own shift without work (older builds started one at their sign-in) is left out.
     */
    shifts(): ShiftSummary[] {
      requireSupervisor();
      const now = d.clock.now();
      const own = d.ownPseudonym();
      return d.shifts
        .recent(RECENT_SHIFTS)
        .map((s) => summarise(s, now))
        .filter((s) => s.shift.pseudonym !== own || s.submits > 0);
    },
    report,
    /** Writes the per-clip and per-shift CSV files into a folder the supervisor chooses. */
    async exportCsv(shiftIds: readonly string[]): Promise<{ files: string[] }> {
      const data = report(shiftIds);
      const folder = await requireExporter().chooseFolder();
      if (folder === null) {
        return { files: [] };
      }
      const base = `earmark-shift-report-${stamp(data.generatedAt)}`;
      const files = [
        writeNew(folder, `${base}-clips`, 'csv', clipsCsv(data)),
        writeNew(folder, `${base}-shifts`, 'csv', shiftsCsv(data)),
      ];
      d.logger.info('reports: CSV exported', { shifts: data.summaries.length, clips: data.clips.length });
      return { files };
    },
    /** Prints the report page on screen to a PDF file the supervisor chooses. */
    async exportPdf(): Promise<{ file: string | null }> {
      requireSupervisor();
      const exporter = requireExporter();
      const file = await exporter.chooseFile(`earmark-shift-report-${stamp(d.clock.now())}.pdf`);
      if (file === null) {
        return { file: null };
      }
      writeFileSync(file, await exporter.printPage(), { mode: 0o600 });
      d.logger.info('reports: PDF exported');
      return { file };
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
