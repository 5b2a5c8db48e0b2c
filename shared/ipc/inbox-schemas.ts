/**
 * Payload schemas of the escalation inbox channels, and the limits the protocol shares with them
 * (../sync/escalation-inbox.ts builds its bodies on these). Depends on zod alone.
 */
import { z } from 'zod';

import { escalationStatuses, MAX_GUIDANCE_CHARS, MAX_REASON_CHARS } from '../domain/inbox-limits';

export { escalationStatuses, MAX_GUIDANCE_CHARS, MAX_REASON_CHARS };

/** Text a person typed: no control characters but line breaks and tabs, not blank. */
export const answerTextSchema = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\p{Cc}]*(?:[\r\n\t][^\p{Cc}]*)*$/u, 'no control characters')
    .refine((s) => s.trim().length > 0, 'not blank');

/** A referral target's name as an operator sets it: 1–64 characters, no control characters. */
export const referralTargetSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\p{Cc}]+$/u, 'no control characters')
  .refine((s) => s.trim() === s, 'no leading or trailing space');

const opId = z.uuid();

/** What a supervisor answers, as the renderer sends it. */
export const inboxAnswerSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('acknowledge') }),
  z.strictObject({ action: z.literal('refer'), to: referralTargetSchema }),
  z.strictObject({ action: z.literal('close'), reason: answerTextSchema(MAX_REASON_CHARS) }),
  z.strictObject({ action: z.literal('guidance'), text: answerTextSchema(MAX_GUIDANCE_CHARS) }),
]);

const noPayload = z.undefined({ error: 'this call takes no payload' });

export const inboxRequestSchemas = {
  'inbox:badge': noPayload,
  'inbox:mine': noPayload,
  'inbox:markSeen': noPayload,
  'inbox:list': z.strictObject({ status: z.enum(escalationStatuses) }),
  'inbox:respond': z.strictObject({ opId, answer: inboxAnswerSchema }),
  'inbox:dismiss': z.strictObject({ responseId: opId }),
} as const;
