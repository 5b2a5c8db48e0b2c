/**
 * The shapes of annotation work sealed at rest, checked when it is opened so a caller gets a
 * typed value. Only this app writes them, after the IPC schemas accepted the input; these
 * schemas keep what is read in the form the types promise.
 */
import { z } from 'zod';
import { dispositions, escalationCategories } from '../../shared/domain/annotation';
import { annotationBodySchema } from '../../shared/ipc/schemas';

/** A sealed body: the editable fields; anything else sealed with it is dropped on open. */
export const bodyAtRestSchema = z.object(annotationBodySchema.shape);

const disposition = z.enum(dispositions).nullable();

/** A submitted revision: its body and disposition, sealed together (migration 0012). */
export const revisionAtRestSchema = bodyAtRestSchema.extend({ disposition: z.enum(dispositions) });

/** A draft: its body and disposition. Drafts sealed before they carried a disposition open with none. */
export const draftAtRestSchema = bodyAtRestSchema.extend({
  disposition: disposition.optional().transform((d) => d ?? null),
});

/** An escalation's note, as sealed before its category was (migration 0007). */
export const noteAtRestSchema = z.object({ note: z.string() });

/** An escalation's note with its category, sealed together (migration 0007). */
export const escalationAtRestSchema = z.strictObject({ note: z.string(), category: z.enum(escalationCategories) });

/** An escalation's note, category and clip id, sealed together (migration 0017). */
export const escalationWithClipAtRestSchema = escalationAtRestSchema.extend({ clipId: z.string() });

/** A draft held while locked, sealed for the device public key. */
export const heldDraftAtRestSchema = z.object({
  batchId: z.string(),
  clipId: z.string(),
  basedOnRevision: z.int().min(0),
  body: bodyAtRestSchema,
  disposition,
});
