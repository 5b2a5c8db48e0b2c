/**
 * The escalation inbox (docs/sync-protocol.md, "Escalation inbox"): supervisors list the
 * escalations of their teams' reviewers and answer them; reviewers read the state of their own
 * and the guidance given. Strict schemas for every body, shared by the workstation and the service.
 */
import { z } from 'zod';
import { escalationCategories } from '../domain/annotation';
import {
  answerTextSchema,
  escalationStatuses,
  MAX_GUIDANCE_CHARS,
  MAX_REASON_CHARS,
  referralTargetSchema,
} from '../ipc/inbox-schemas';
import { batchIdSchema, clipIdSchema, MAX_NOTE_CHARS } from '../ipc/schemas';
import { pseudonymSchema } from './service-statements';
import { opIdSchema } from './messages';

export { escalationStatuses, MAX_GUIDANCE_CHARS, MAX_REASON_CHARS, referralTargetSchema };
/** One of {@link escalationStatuses}. */
export type EscalationStatus = (typeof escalationStatuses)[number];

/** What a supervisor may answer. `guidance` is text for the reviewer and changes no status but `open`. */
export const escalationActions = ['acknowledge', 'refer', 'close', 'guidance'] as const;
/** One of {@link escalationActions}. */
export type EscalationAction = (typeof escalationActions)[number];

/** An escalation turns urgent this long after it was saved unless the operator sets otherwise. */
export const DEFAULT_URGENT_AFTER_MS = 30 * 60_000;
/** The referral targets an operator starts with. */
export const DEFAULT_REFERRAL_TARGETS: readonly string[] = ['Trust & Safety', 'Legal', 'Welfare'];
export { SEVERAL_ESCALATIONS_IN_SHIFT } from '../domain/inbox-limits';
/** The most escalations one inbox answer lists. */
export const MAX_INBOX_ESCALATIONS = 500;
/**
 * The most answers one escalation takes before it is closed (a close is always taken): every
 * supervisor who sees it, and its reviewer, read them all.
 */
export const MAX_ESCALATION_RESPONSES = 100;
/** The most answers (or pieces of guidance) listed for one escalation. */
export const MAX_LISTED_RESPONSES = 1_000;

const epochMs = z.int().min(0);
/** Operator settings of the inbox. */
export const inboxSettingsSchema = z.strictObject({
  urgentAfterMs: z
    .int()
    .min(60_000)
    .max(24 * 3_600_000),
  referralTargets: z.array(referralTargetSchema).min(1).max(20),
});
export type InboxSettings = z.infer<typeof inboxSettingsSchema>;

/** `GET /v1/escalations?status=…`: `open` when not given. Unknown parameters are refused. */
export const escalationInboxQuerySchema = z.strictObject({ status: z.enum(escalationStatuses).optional() });

/** `POST /v1/escalations/{opId}/responses`: one answer with an id the workstation made. */
export const escalationResponseRequestSchema = z.discriminatedUnion('action', [
  z.strictObject({ responseId: opIdSchema, action: z.literal('acknowledge') }),
  z.strictObject({ responseId: opIdSchema, action: z.literal('refer'), to: referralTargetSchema }),
  z.strictObject({ responseId: opIdSchema, action: z.literal('close'), reason: answerTextSchema(MAX_REASON_CHARS) }),
  z.strictObject({ responseId: opIdSchema, action: z.literal('guidance'), text: answerTextSchema(MAX_GUIDANCE_CHARS) }),
]);
export type EscalationResponseRequest = z.infer<typeof escalationResponseRequestSchema>;

/** One answer as the inbox shows it, with the pseudonym of the supervisor who gave it. */
export const escalationResponseSchema = z.strictObject({
  responseId: opIdSchema,
  action: z.enum(escalationActions),
  by: pseudonymSchema,
  at: epochMs,
  to: referralTargetSchema.optional(),
  reason: z.string().max(MAX_REASON_CHARS).optional(),
  text: z.string().max(MAX_GUIDANCE_CHARS).optional(),
});
export type EscalationResponse = z.infer<typeof escalationResponseSchema>;

/** One escalation in a supervisor's inbox. */
export const inboxEscalationSchema = z.strictObject({
  opId: opIdSchema,
  batchId: batchIdSchema,
  clipId: clipIdSchema,
  category: z.enum(escalationCategories),
  /** The reviewer's note; null for a supervisor outside the reviewer's teams. */
  note: z.string().max(MAX_NOTE_CHARS).nullable(),
  reviewer: pseudonymSchema,
  /** The reviewer's shift the escalation fell in, when the service holds it. */
  shiftId: z.string().max(128).nullable(),
  /** The reviewer's escalations in that shift (this one included); 1 when the shift is unknown. */
  shiftEscalations: z.int().min(1),
  createdAt: epochMs,
  ageMs: epochMs,
  urgent: z.boolean(),
  /** Open past twice the urgent time: shown to every supervisor of the organisation. */
  overdue: z.boolean(),
  /** Whether the caller supervises one of the reviewer's teams (else they see it as overdue). */
  ownTeam: z.boolean(),
  status: z.enum(escalationStatuses),
  responses: z.array(escalationResponseSchema).max(MAX_LISTED_RESPONSES),
});
export type InboxEscalation = z.infer<typeof inboxEscalationSchema>;

export const escalationInboxResponseSchema = z.strictObject({
  now: epochMs,
  status: z.enum(escalationStatuses),
  urgentAfterMs: z.int().min(0),
  referralTargets: z.array(referralTargetSchema).max(20),
  escalations: z.array(inboxEscalationSchema).max(MAX_INBOX_ESCALATIONS),
});
export type EscalationInboxResponse = z.infer<typeof escalationInboxResponseSchema>;

/** The answer to a response: stored now, or held already under that id with the same body. */
export const escalationResponseResultSchema = z.strictObject({
  responseId: opIdSchema,
  outcome: z.enum(['stored', 'duplicate']),
  status: z.enum(escalationStatuses),
  at: epochMs,
});
export type EscalationResponseResult = z.infer<typeof escalationResponseResultSchema>;

/** One of a reviewer's own escalations: where it stands and the guidance given, never who gave it. */
export const myEscalationSchema = z.strictObject({
  opId: opIdSchema,
  batchId: batchIdSchema,
  clipId: clipIdSchema,
  category: z.enum(escalationCategories),
  createdAt: epochMs,
  status: z.enum(escalationStatuses),
  /** When the status or guidance last changed; null while nobody answered. */
  updatedAt: epochMs.nullable(),
  guidance: z
    .array(z.strictObject({ at: epochMs, text: z.string().max(MAX_GUIDANCE_CHARS) }))
    .max(MAX_LISTED_RESPONSES),
});
export type MyEscalation = z.infer<typeof myEscalationSchema>;

export const myEscalationsResponseSchema = z.strictObject({
  escalations: z.array(myEscalationSchema).max(MAX_INBOX_ESCALATIONS),
});
export type MyEscalationsResponse = z.infer<typeof myEscalationsResponseSchema>;

/** The status an escalation moves to when `action` is taken on it in `status`, or null when refused. */
export function nextStatus(status: EscalationStatus, action: EscalationAction): EscalationStatus | null {
  switch (action) {
    case 'acknowledge':
      return status === 'open' ? 'acknowledged' : null;
    case 'refer':
      return status === 'closed' ? null : 'referred';
    case 'close':
      return status === 'closed' ? null : 'closed';
    case 'guidance':
      return status === 'open' ? 'acknowledged' : status;
  }
}
