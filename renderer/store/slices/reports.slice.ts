import type { ShiftReport, ShiftSummary } from '../../../shared/domain/timing';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import type { AppError } from '../../../shared/result';
import type { SliceCreator } from '../types';

/** What the last export did: the files written, or nothing because it was cancelled. */
export type ExportOutcome = { readonly kind: 'csv' | 'pdf'; readonly files: readonly string[] } | null;

/**
 * The supervisor's report screen: the shifts to choose from, the ones chosen, and their report.
 * Main refuses all of it to anyone but a supervisor; the screen is only offered to them.
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
    /** Opens the screen with the latest shift that has work in it chosen. */
    show: () => Promise<void>;
    hide: () => void;
    toggle: (shiftId: string) => Promise<void>;
    exportCsv: () => Promise<void>;
    exportPdf: () => Promise<void>;
  };
};

const closed = {
  open: false,
  shifts: null,
  selected: [],
  report: null,
  loading: false,
  exporting: null,
  outcome: null,
  error: null,
} as const;

export const createReportsSlice =
  (api: ReviewerApi): SliceCreator<ReportsSlice> =>
  (set, get) => {
    const patch = (
      p: Partial<Omit<ReportsSlice['reports'], 'show' | 'hide' | 'toggle' | 'exportCsv' | 'exportPdf'>>,
    ): void => set((s) => ({ reports: { ...s.reports, ...p } }));
    const load = async (selected: readonly string[]): Promise<void> => {
      patch({ selected, loading: true, outcome: null });
      if (selected.length === 0) {
        patch({ report: null, loading: false });
        return;
      }
      const result = await api.reports.shift({ shiftIds: selected });
      if (get().reports.selected !== selected) {
        return;
      }
      patch(
        result.ok
          ? { report: result.value, loading: false, error: null }
          : { report: null, loading: false, error: result.error },
      );
    };
    return {
      reports: {
        ...closed,
        async show() {
          patch({ ...closed, open: true, loading: true });
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
        async exportCsv() {
          const { selected } = get().reports;
          patch({ exporting: 'csv', outcome: null, error: null });
          const result = await api.reports.exportCsv({ shiftIds: selected });
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
