/**
 * Payload schemas of the hearing and second-listen channels: ids, offsets, a window of audio,
 * and the proposal text a helper writes (bounded like the service bounds it).
 */
import { z } from 'zod';
import {
  audioWindowSchema,
  listenDecisions,
  listenRequestIdSchema,
  MAX_PROPOSAL_CHARS,
  textSpanSchema,
} from '../sync/hearing-fields';

const holdIdSchema = z.uuid();

/** The schemas, given the clip reference fields every channel names clips by. */
export function hearingRequestSchemas<R extends z.core.$ZodLooseShape>(clipRef: R) {
  return {
    'hearing:escalation': z.strictObject({ opId: z.uuid() }),
    'hearing:open': z.strictObject({ holdId: holdIdSchema }),
    'hearing:release': z.strictObject({ holdId: holdIdSchema }),
    'listen:ask': z.strictObject({ ...clipRef, span: textSpanSchema, window: audioWindowSchema }),
    'listen:queue': z.undefined({ error: 'this call takes no payload' }),
    'listen:mine': z.undefined({ error: 'this call takes no payload' }),
    'listen:take': z.strictObject({ requestId: listenRequestIdSchema }),
    'listen:propose': z.strictObject({
      requestId: listenRequestIdSchema,
      text: z.string().trim().min(1, 'write what you hear').max(MAX_PROPOSAL_CHARS),
    }),
    'listen:decide': z.strictObject({ requestId: listenRequestIdSchema, decision: z.enum(listenDecisions) }),
  };
}
