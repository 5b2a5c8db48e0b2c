/**
 * How an escalation is sealed at rest: its note, category and clip id together under the
 * annotation key, with associated data binding the escalation's id, batch and the clip's keyed
 * reference (clip-refs.ts), so neither the category, nor which clip was escalated, can be read
 * from the database, and a note moved to another row (another clip, another escalation) does not
 * open. Rows from before (migration 0007: category in its column, note bound to the id alone;
 * migration 0017: clip id in its column, note bound to the id, batch and clip) open as they
 * were and are re-sealed by {@link resealLegacyEscalations}.
 */
import type { EscalationCategory } from '../../shared/domain/annotation';
import { aad, type Sealed } from '../../core/crypto/aead';
import { openJson, sealJson } from '../../core/crypto/codec';
import type { AnnotationRepository, StoredEscalation } from '../db/repositories/annotation.repository';
import type { Logger } from '../log/logger';
import { escalationAtRestSchema, escalationWithClipAtRestSchema, noteAtRestSchema } from './annotation-at-rest.schema';

type EscalationIds = { readonly id: string; readonly batchId: string; readonly clipRef: string };

const escalationAad = (e: EscalationIds): Buffer => aad('escalation-at-rest', e.id, e.batchId, e.clipRef);
const clipBoundAad = (e: { id: string; batchId: string; clipId: string }): Buffer =>
  aad('escalation-sealed', e.id, e.batchId, e.clipId);
const legacyAad = (id: string): Buffer => aad('escalation', id);

/** An escalation as opened. */
export type OpenedEscalation = { note: string; category: EscalationCategory; clipId: string };

/** Seals a new escalation's note, category and clip together. */
export const sealEscalation = (
  key: Buffer,
  e: EscalationIds & { readonly clipId: string },
  note: string,
  category: EscalationCategory,
): Sealed => sealJson(key, { note, category, clipId: e.clipId }, escalationAad(e));

/** Opens a stored escalation, of any version; throws when it does not authenticate. */
export function openEscalation(key: Buffer, row: StoredEscalation): OpenedEscalation {
  const what = `Escalation "${row.id}"`;
  if (row.clipRef !== null) {
    return openJson(
      key,
      row.note,
      escalationAad({ ...row, clipRef: row.clipRef }),
      escalationWithClipAtRestSchema,
      what,
    );
  }
  if (row.clipId === null) {
    throw new Error(`${what} names neither a clip nor a clip reference.`);
  }
  const clipId = row.clipId;
  if (row.category === null) {
    return { ...openJson(key, row.note, clipBoundAad({ ...row, clipId }), escalationAtRestSchema, what), clipId };
  }
  return { ...openJson(key, row.note, legacyAad(row.id), noteAtRestSchema, what), category: row.category, clipId };
}

/**
 * Seals every escalation that still names its clip (or its category) the new way: note, category
 * and clip id sealed together, the clip named by its reference here and in its outbox row.
 */
export function resealLegacyEscalations(
  annotations: Pick<AnnotationRepository, 'legacyEscalations' | 'resealEscalation'>,
  key: Buffer,
  clipRef: (batchId: string, clipId: string) => string,
  logger: Logger,
): void {
  const legacy = annotations.legacyEscalations();
  for (const e of legacy) {
    const { note, category, clipId } = openEscalation(key, e);
    const ref = clipRef(e.batchId, clipId);
    annotations.resealEscalation(e.id, ref, sealEscalation(key, { ...e, clipId, clipRef: ref }, note, category));
  }
  if (legacy.length > 0) {
    logger.info('annotations: escalations sealed with their clip', { count: legacy.length });
  }
}
