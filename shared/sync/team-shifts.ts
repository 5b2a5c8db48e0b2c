/**
 * `GET /v1/team/shifts` (docs/sync-protocol.md, "Team shifts"): a supervisor's view of their
 * teams' shifts, computed by the service from the timing records it holds with the same code
 * the workstation's report uses (../timing/shift-summary.ts). The query and the answer are made
 * of pseudonyms, ids, times, numbers and labels only; no transcript, ASR text or note.
 */
import { z } from 'zod';
import { escalationCategories } from '../domain/annotation';
import { batchIdSchema } from '../ipc/schemas';
import { breakValuesSchema, clipValuesSchema, shiftValuesSchema, timingPseudonymSchema } from './timing-records';

/** When no `from`/`to` is given, the window ends now and starts this long before. */
export const TEAM_SHIFTS_DEFAULT_WINDOW_MS = 7 * 24 * 3_600_000;
/** The longest window one query may ask for. */
export const TEAM_SHIFTS_MAX_WINDOW_MS = 92 * 24 * 3_600_000;
/** Shifts per page unless `limit` says otherwise, and the most it may say. */
export const TEAM_SHIFTS_DEFAULT_LIMIT = 25;
export const TEAM_SHIFTS_MAX_LIMIT = 100;

const isoTime = z.iso.datetime({ offset: true, message: 'an ISO 8601 date and time, such as 2025-03-04T09:30:00Z' });

/** The query string, one value per parameter. Unknown parameters are refused. */
export const teamShiftsQuerySchema = z.strictObject({
  /** Shifts that started at or after this time. */
  from: isoTime.optional(),
  /** Shifts that started before this time. */
  to: isoTime.optional(),
  /** Only this reviewer's shifts (their pseudonym). */
  reviewer: timingPseudonymSchema.optional(),
  /** Only shifts with work on this batch. */
  batch: batchIdSchema.optional(),
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,2}$/, `a whole number from 1 to ${TEAM_SHIFTS_MAX_LIMIT}`)
    .transform(Number)
    .pipe(z.int().min(1).max(TEAM_SHIFTS_MAX_LIMIT))
    .optional(),
  /** The `nextCursor` of the page before; opaque. */
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,1024}$/, 'the nextCursor of an earlier answer')
    .optional(),
});
export type TeamShiftsQuery = z.input<typeof teamShiftsQuerySchema>;

const epochMs = z.int().min(0);
const ms = z.number().min(0);
const rate = z.number().min(0).nullable();

/** One shift's figures (shared/domain/timing.ts `ShiftSummary`). */
export const shiftSummarySchema = z.strictObject({
  shift: shiftValuesSchema.omit({ lastActivityAt: true }),
  durationMs: ms,
  breakMs: ms,
  workMs: ms,
  breaks: z.int().min(0),
  suggestedBreaksTaken: z.int().min(0),
  suggestedBreaksSkipped: z.int().min(0),
  clipsDone: z.int().min(0),
  submits: z.int().min(0),
  amendments: z.int().min(0),
  clipsPerHour: rate,
  idleMs: ms,
  clipsPerActiveHour: rate,
  medianHandleMs: ms.nullable(),
  meanActiveMs: ms.nullable(),
  activeMs: ms,
  listenMs: ms,
  escalations: z.int().min(0),
  criticalClips: z.int().min(0),
  submittedBeforeHeard: z.int().min(0),
  wer: z.number().min(0).nullable(),
});

/**
 * A shift's gold figures (../timing/gold-figures.ts): the gold clips whose latest revision was
 * made in the shift, scored by the service. Counts and ratios only: which clips were gold is not
 * said.
 */
export const goldFiguresSchema = z.strictObject({
  clips: z.int().min(0),
  wordErrors: z.int().min(0),
  referenceWords: z.int().min(0),
  /** Null when the shift's gold clips have no reference words (or there are none). */
  wer: z.number().min(0).nullable(),
  dispositionsAgreed: z.int().min(0),
  /** Null when the shift has no gold clip. */
  dispositionAgreement: z.number().min(0).max(1).nullable(),
});

/** One shift of the team: its figures and what a report of it draws (clips, breaks, escalation times). */
export const teamShiftSchema = z.strictObject({
  summary: shiftSummarySchema,
  gold: goldFiguresSchema,
  clips: z.array(clipValuesSchema),
  breaks: z.array(breakValuesSchema),
  /** When escalations were saved during the shift. */
  escalations: z.array(epochMs),
  /** The same escalations with their category, a label (never the note), oldest first. */
  escalationCategories: z.array(z.strictObject({ at: epochMs, category: z.enum(escalationCategories) })),
});
export type TeamShift = z.infer<typeof teamShiftSchema>;

/** The answer: newest first; `nextCursor` asks for the next page, null on the last. */
export const teamShiftsResponseSchema = z.strictObject({
  from: epochMs,
  to: epochMs,
  shifts: z.array(teamShiftSchema).max(TEAM_SHIFTS_MAX_LIMIT),
  nextCursor: z.string().nullable(),
});
export type TeamShiftsResponse = z.infer<typeof teamShiftsResponseSchema>;
