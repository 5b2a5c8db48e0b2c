/**
 * The fields of the hearing exchanges that the IPC schemas share with the protocol. Kept apart
 * from ./hearing-messages.ts (which builds on the IPC id schemas) so neither imports the other.
 */
import { z } from 'zod';
import { MAX_TRANSCRIPT_CHARS } from '../domain/annotation';

export { MAX_PROPOSAL_CHARS } from '../domain/inbox-limits';

/** Second-listen request ids are random UUIDs made by the requesting client (idempotent like an op). */
export const listenRequestIdSchema = z.uuid();

/** Characters `[start, end)` of the requester's transcript. */
export const textSpanSchema = z
  .strictObject({ start: z.int().min(0).max(MAX_TRANSCRIPT_CHARS), end: z.int().min(1).max(MAX_TRANSCRIPT_CHARS) })
  .refine((s) => s.end > s.start, { path: ['end'], message: 'after start' });
export type TextSpan = z.infer<typeof textSpanSchema>;

/** Milliseconds `[startMs, endMs)` of the clip's audio: what the helper hears highlighted. */
export const audioWindowSchema = z
  .strictObject({ startMs: z.int().min(0).max(3_600_000), endMs: z.int().min(1).max(3_600_000) })
  .refine((w) => w.endMs > w.startMs, { path: ['endMs'], message: 'after startMs' });
export type AudioWindow = z.infer<typeof audioWindowSchema>;

/** What the requester did with a proposal. */
export const listenDecisions = ['accepted', 'ignored'] as const;
export type ListenDecisionValue = (typeof listenDecisions)[number];
