/**
 * How an escalation is sealed at rest: its note and category together under the annotation
 * key, with associated data binding the escalation's id, batch and clip, so neither the
 * category nor a note moved to another clip can be read or passed off from the database.
 * Rows from before (category in its column, note bound to the id alone; migration 0007) open
 * as they were and are re-sealed by {@link resealLegacyEscalations}.
 */
import type { EscalationCategory } from '../../shared/domain/annotation';
import { aad, type Sealed } from '../../core/crypto/aead';
import { openJson, sealJson } from '../../core/crypto/codec';
import type { AnnotationRepository } from '../db/repositories/annotation.repository';
import type { Logger } from '../log/logger';
import { escalationAtRestSchema, noteAtRestSchema } from './annotation-at-rest.schema';

type EscalationIds = { readonly id: string; readonly batchId: string; readonly clipId: string };

const escalationAad = (e: EscalationIds): Buffer => aad('escalation-sealed', e.id, e.batchId, e.clipId);
const legacyAad = (id: string): Buffer => aad('escalation', id);

/** Seals a new escalation's note and category together. */
export const sealEscalation = (key: Buffer, e: EscalationIds, note: string, category: EscalationCategory): Sealed =>
  sealJson(key, { note, category }, escalationAad(e));

/** Opens a stored escalation, legacy or not; throws when it does not authenticate. */
export function openEscalation(
  key: Buffer,
  row: EscalationIds & { readonly category: EscalationCategory | null; readonly note: Sealed },
): { note: string; category: EscalationCategory } {
  if (row.category === null) {
    return openJson(key, row.note, escalationAad(row), escalationAtRestSchema);
  }
  return { ...openJson(key, row.note, legacyAad(row.id), noteAtRestSchema), category: row.category };
}

/** Seals every legacy escalation's category with its note and clears the column. */
export function resealLegacyEscalations(
  annotations: Pick<AnnotationRepository, 'legacyEscalations' | 'resealEscalation'>,
  key: Buffer,
  logger: Logger,
): void {
  const legacy = annotations.legacyEscalations();
  for (const e of legacy) {
    const { note } = openEscalation(key, e);
    annotations.resealEscalation(e.id, sealEscalation(key, e, note, e.category));
  }
  if (legacy.length > 0) {
    logger.info('annotations: escalation categories sealed', { count: legacy.length });
  }
}
