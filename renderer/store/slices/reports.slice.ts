import type { ReportSource, ShiftReport, ShiftSummary, TeamShiftList } from '../../../shared/domain/timing';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import type { AppError } from '../../../shared/result';
import type { SliceCreator } from '../types';

/** What the last export did: the files written, or nothing because it was cancelled. */
export type ExportOutcome = { readonly kind: 'csv' | 'pdf'; readonly files: readonly string[] } | null;

/** The supervisor's filters on the team's shifts; times in ms, empty text for "any". */
export type ReportFilters = {
  readonly from: number;
  readonly to: number;
  readonly reviewer: string;
  readonly batch: string;
};

/**
 * The supervisor's report screen: the shifts to choose from, the ones chosen, and their report.
 * Signed in to a service, the shifts are the team's (filtered, a page at a time, "more" for the
 * next); otherwise, or with the service out of reach, this workstation's own. Main refuses all
 * of it to anyone but a supervisor; the screen is only offered to them.
 */
export type ReportsSlice = {
  readonly reports: {
    readonly open: boolean;
    readonly shifts: readonly ShiftSummary[] | null;
    readonly selected: readonly string[];
    readonly report: ShiftReport | null;
    readonly loading: boolean;
    readonly exporting: 'csv' | 'pdf' | null;
    readonly outcome: ExportOutcome;
    readonly error: AppError | null;
    /** Where the listed shifts come from, and why not the team's when they are not. */
    readonly source: ReportSource;
    readonly fallback: TeamShiftList['fallback'];
    /** The team filters in use; null when the screen lists this workstation's shifts only (demo). */
    readonly filters: ReportFilters | null;
    readonly nextCursor: string | null;
    readonly loadingMore: boolean;
    /** Opens the screen with the latest shift that has work in it chosen. */
    show: () => Promise<void>;
    hide: () => void;
    toggle: (shiftId: string) => Promise<void>;
    /** Lists the team's shifts again with these filters. */
    filter: (filters: ReportFilters) => Promise<void>;
    /** Adds the next page of the team's shifts to the list. */
    more: () => Promise<void>;
    exportCsv: () => Promise<void>;
    exportPdf: () => Promise<void>;
  };
};

type Actions = 'show' | 'hide' | 'toggle' | 'filter' | 'more' | 'exportCsv' | 'exportPdf';

const closed = {
  open: false,
  shifts: null,
  selected: [],
  report: null,
  loading: false,
  exporting: null,
  outcome: null,
  error: null,
  source: 'workstation',
  fallback: null,
  filters: null,
  nextCursor: null,
  loadingMore: false,
} as const;

/** The query for `filters`: empty text filters are left out. */
const queryOf = (f: ReportFilters) => ({
  from: f.from,
  to: f.to,
  ...(f.reviewer.trim() === '' ? {} : { reviewer: f.reviewer.trim() }),
  ...(f.batch.trim() === '' ? {} : { batch: f.batch.trim() }),
});

export const createReportsSlice =
  (api: ReviewerApi): SliceCreator<ReportsSlice> =>
  (set, get) => {
    const patch = (p: Partial<Omit<ReportsSlice['reports'], Actions>>): void =>
      set((s) => ({ reports: { ...s.reports, ...p } }));
    const load = async (selected: readonly string[]): Promise<void> => {
      patch({ selected, loading: true, outcome: null });
      if (selected.length === 0) {
        patch({ report: null, loading: false });
        return;
      }
      const { source } = get().reports;
      const result = await api.reports.shift({ shiftIds: selected, source });
      if (get().reports.selected !== selected) {
        return;
      }
      patch(
        result.ok
          ? { report: result.value, loading: false, error: null }
          : { report: null, loading: false, error: result.error },
      );
    };
    /** Lists the first page for `filters` (the service's default window when null) and picks a shift. */
    const list = async (filters: ReportFilters | null): Promise<void> => {
      patch({ loading: true, error: null, outcome: null });
      const result = await api.reports.team(filters === null ? {} : queryOf(filters));
      if (!result.ok) {
        patch({ loading: false, error: result.error });
        return;
      }
      const page = result.value;
      patch({
        shifts: page.shifts,
        source: page.source,
        fallback: page.fallback,
        nextCursor: page.nextCursor,
        filters: {
          from: page.from,
          to: page.to,
          reviewer: filters?.reviewer ?? '',
          batch: filters?.batch ?? '',
        },
      });
      const first = page.shifts.find((s) => s.submits > 0) ?? page.shifts[0];
      await load(first ? [first.shift.id] : []);
    };
    return {
      reports: {
        ...closed,
        async show() {
          patch({ ...closed, open: true, loading: true });
          if (get().session.info?.mode === 'service') {
            await list(null);
            return;
          }
          const result = await api.reports.shifts();
          if (!result.ok) {
            patch({ loading: false, error: result.error });
            return;
          }
          const first = result.value.find((s) => s.submits > 0) ?? result.value[0];
          patch({ shifts: result.value });
          await load(first ? [first.shift.id] : []);
        },
        hide: () => patch(closed),
        toggle: (shiftId) => {
          const { selected } = get().reports;
          return load(selected.includes(shiftId) ? selected.filter((id) => id !== shiftId) : [...selected, shiftId]);
        },
        filter: (filters) => list(filters),
        async more() {
          const { filters, nextCursor, shifts } = get().reports;
          if (filters === null || nextCursor === null) {
            return;
          }
          patch({ loadingMore: true });
          const result = await api.reports.team({ ...queryOf(filters), cursor: nextCursor });
          if (!result.ok) {
            patch({ loadingMore: false, error: result.error });
            return;
          }
          if (result.value.source !== 'service') {
            // The service went out of reach between pages: keep the team's shifts listed so far.
            patch({ loadingMore: false, fallback: result.value.fallback, nextCursor: null });
            return;
          }
          patch({
            loadingMore: false,
            shifts: [...(shifts ?? []), ...result.value.shifts],
            nextCursor: result.value.nextCursor,
          });
        },
        async exportCsv() {
          const { selected, source } = get().reports;
          patch({ exporting: 'csv', outcome: null, error: null });
          const result = await api.reports.exportCsv({ shiftIds: selected, source });
          patch(
            result.ok
              ? { exporting: null, outcome: { kind: 'csv', files: result.value.files } }
              : { exporting: null, error: result.error },
          );
        },
        async exportPdf() {
          patch({ exporting: 'pdf', outcome: null, error: null });
          const result = await api.reports.exportPdf();
          patch(
            result.ok
              ? {
                  exporting: null,
                  outcome: { kind: 'pdf', files: result.value.file === null ? [] : [result.value.file] },
                }
              : { exporting: null, error: result.error },
          );
        },
      },
    };
  };
