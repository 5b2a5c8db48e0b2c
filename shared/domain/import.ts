/**
 * How a batch import is getting on, pushed to the renderer while it runs so the batch list can
 * show a progress bar. Counts and ids only.
 */

/** `reading`: checking the package; `importing`: clips going in; then one of the three ends. */
export const importPhases = ['reading', 'importing', 'done', 'cancelled', 'failed'] as const;
export type ImportPhase = (typeof importPhases)[number];

export type ImportProgress = {
  /** One import, from start to end; several may be reported in turn. */
  readonly importId: string;
  /** The batch, once the package's manifest has been read; null before. */
  readonly batchId: string | null;
  readonly phase: ImportPhase;
  readonly clipsDone: number;
  /** Clips in the package, once known; 0 before. */
  readonly clipsTotal: number;
};
