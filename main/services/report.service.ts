/**
 * Shift reports for supervisors: the figures of chosen shifts, as data for the report page, as
 * three CSV files, and as a PDF of the report page. Only a supervisor may read or export them.
 * The shifts are this workstation's own, or the team's as the annotation service computed them
 * (fetched here with the session's token, so the renderer names shifts but never supplies figures).
 * Reports hold ids, pseudonyms, times, numbers and labels: no transcript text, note or audio.
 */
import type { EscalationCategory } from '../../shared/domain/annotation';
import type { Role } from '../../shared/domain/session';
import type {
  ReportSource,
  SecondListenCounts,
  ShiftReport,
  ShiftSummary,
  TeamShiftList,
  TeamShiftQuery,
} from '../../shared/domain/timing';
import type { TeamSecondListensQuery } from '../../shared/sync/hearing-messages';
import type { TeamShift, TeamShiftsQuery, TeamShiftsResponse } from '../../shared/sync/team-shifts';
import type { ShiftRepository, ShiftRow } from '../db/repositories/shift.repository';
import type { TimingRepository } from '../db/repositories/timing.repository';
import type { Logger } from '../log/logger';
import { clipsCsv, reviewersCsv, shiftsCsv } from '../report/report-csv';
import { writeCsvFiles, writePdf } from './report-files';
import { shiftEnd, summariseShift } from '../../shared/timing/shift-summary';
import { ServiceError } from './service-error';
import { createTeamListenCounts } from './team-listen-counts';
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
  /**
   * One page of the team's shifts from the annotation service; throws when there is no session
   * or no answer. Absent without a service.
   */
  readonly team?: ((query: TeamShiftsQuery) => Promise<TeamShiftsResponse>) | undefined;
  /** The team's second-listen counts over a window; throws when there is no session or no answer. */
  readonly teamSecondListens?: ((query: TeamSecondListensQuery) => Promise<SecondListenCounts>) | undefined;
  /** An escalation's category, opened from its sealed row (the note is not kept); null if gone. */
  readonly escalationCategory: (id: string) => EscalationCategory | null;
};

/** Team shifts kept in memory for reports on them, at most this many (the oldest fetched go first). */
export const TEAM_CACHE_SHIFTS = 1_000;

const isoOf = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

/** `2025-03-04-0930`, in UTC, for file names. */
const stamp = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', '-').replace(':', '');

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
  // The team's shifts as the service gave them, by shift id, for reports on a selection of them.
  const teamCache = new Map<string, TeamShift>();
  const keep = (shifts: readonly TeamShift[]): void => {
    for (const s of shifts) {
      teamCache.delete(s.summary.shift.id);
      teamCache.set(s.summary.shift.id, s);
    }
    for (const id of teamCache.keys()) {
      if (teamCache.size <= TEAM_CACHE_SHIFTS) {
        break;
      }
      teamCache.delete(id);
    }
  };

  const listens = createTeamListenCounts({ fetch: d.teamSecondListens, logger: d.logger });

  const teamReport = (shiftIds: readonly string[]): ShiftReport => {
    const shifts = [...new Set(shiftIds)].map((id) => {
      const shift = teamCache.get(id);
      if (!shift) {
        throw new ServiceError('NOT_FOUND', `No team shift "${id}" was listed; list the team's shifts again.`);
      }
      return shift;
    });
    shifts.sort((a, b) => a.summary.shift.startedAt - b.summary.shift.startedAt);
    return {
      generatedAt: d.clock.now(),
      summaries: shifts.map((s) => s.summary),
      clips: shifts.flatMap((s) => s.clips),
      breaks: shifts.flatMap((s) => s.breaks),
      escalations: shifts.flatMap((s) =>
        s.escalationCategories.map((e) => ({ shiftId: s.summary.shift.id, at: e.at, category: e.category })),
      ),
      gold: shifts.map((s) => ({ shiftId: s.summary.shift.id, ...s.gold })),
      ...listens.of(new Set(shifts.map((s) => s.summary.shift.pseudonym))),
    };
  };

  /** This workstation's shifts that match `query`, newest first, with their figures. */
  const ownShifts = (query: TeamShiftQuery, now: number): ShiftSummary[] => {
    const own = d.ownPseudonym();
    return d.shifts
      .recent(RECENT_SHIFTS)
      .filter((s) => query.from === undefined || s.startedAt >= query.from)
      .filter((s) => query.to === undefined || s.startedAt < query.to)
      .filter((s) => query.reviewer === undefined || s.pseudonym === query.reviewer)
      .map((s) => ({ row: s, clips: d.timing.metricsOfShift(s.id) }))
      .filter(({ clips }) => query.batch === undefined || clips.some((c) => c.batchId === query.batch))
      .map(({ row, clips }) => summarise(row, now, clips))
      .filter((s) => s.shift.pseudonym !== own || s.submits > 0);
  };

  const report = (shiftIds: readonly string[], source: ReportSource = 'workstation'): ShiftReport => {
    requireSupervisor();
    if (source === 'service') {
      return teamReport(shiftIds);
    }
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
        d.shifts.escalationsBetween(s.startedAt, shiftEnd(s, now)).flatMap((e) => {
          const category = d.escalationCategory(e.id);
          return category === null ? [] : [{ shiftId: s.id, at: e.at, category }];
        }),
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
      return ownShifts({}, d.clock.now());
    },
    /**
     * One page of the shifts of the supervisor's teams from the annotation service, newest
     * first. Without a session or an answer, this workstation's shifts that match the filters
     * instead (one page), and `fallback` says why.
     */
    async teamShifts(query: TeamShiftQuery): Promise<TeamShiftList> {
      requireSupervisor();
      const asked: TeamShiftsQuery = {
        from: isoOf(query.from),
        to: isoOf(query.to),
        reviewer: query.reviewer,
        batch: query.batch,
        limit: query.limit === undefined ? undefined : String(query.limit),
        cursor: query.cursor,
      };
      let fallback: TeamShiftList['fallback'] = 'signed_out';
      if (d.team) {
        try {
          const page = await d.team(asked);
          keep(page.shifts);
          if (query.cursor === undefined) {
            await listens.refresh(page.from, page.to);
          }
          return {
            source: 'service',
            fallback: null,
            from: page.from,
            to: page.to,
            shifts: page.shifts.map((s) => s.summary),
            nextCursor: page.nextCursor,
          };
        } catch (error) {
          fallback = error instanceof ServiceError ? 'signed_out' : 'unreachable';
          d.logger.warn('reports: team shifts not available, showing this workstation’s', {
            error: error instanceof Error ? error.name : 'unknown',
          });
        }
      }
      const now = d.clock.now();
      const to = query.to ?? now;
      const from = query.from ?? to - 7 * 24 * 3_600_000;
      return {
        source: 'workstation',
        fallback,
        from,
        to,
        shifts: query.cursor === undefined ? ownShifts({ ...query, from, to }, now) : [],
        nextCursor: null,
      };
    },
    report,
    /** Writes the per-clip, per-shift and per-reviewer CSV files into a folder the supervisor chooses. */
    async exportCsv(shiftIds: readonly string[], source?: ReportSource): Promise<{ files: string[] }> {
      const data = report(shiftIds, source);
      const folder = await requireExporter().chooseFolder();
      if (folder === null) {
        return { files: [] };
      }
      const base = `earmark-shift-report-${stamp(data.generatedAt)}`;
      // All three or none: a failure removes those written, so trying again writes the same names.
      const files = writeCsvFiles(folder, [
        { base: `${base}-clips`, data: clipsCsv(data) },
        { base: `${base}-shifts`, data: shiftsCsv(data) },
        { base: `${base}-reviewers`, data: reviewersCsv(data) },
      ]);
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
      // Through a flushed temporary file: a failed or cut-off export never leaves the chosen file
      // (perhaps an earlier report) empty or half-written.
      if (writePdf(file, await exporter.printPage())) {
        d.logger.info('reports: PDF exported');
      } else {
        d.logger.warn('reports: PDF exported, but its folder could not be flushed to the disk');
      }
      return { file };
    },
  };
}

export type ReportService = ReturnType<typeof createReportService>;
