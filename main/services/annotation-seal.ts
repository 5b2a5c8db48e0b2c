/**
 * How a submitted revision is sealed at rest: its body and disposition together under the
 * annotation key, with associated data binding the batch, clip, revision and op id, so a body
 * moved to another row (another clip, another revision of the same clip) or a revision number
 * changed in the database does not open. Rows from before (disposition and critical flag in
 * their columns, body bound to the batch and clip alone; migration 0012) open as they were and
 * are re-sealed by {@link resealLegacyAnnotations}. A revision read back while its seal is still
 * in the caller's memo (core/crypto/seal-memo.ts) is not decrypted again.
 */
import type { AnnotationBody, Disposition } from '../../shared/domain/annotation';
import { aad, type Sealed } from '../../core/crypto/aead';
import { openJson, sealJson } from '../../core/crypto/codec';
import type { SealMemo } from '../../core/crypto/seal-memo';
import type { AnnotationRepository, AnnotationRow } from '../db/repositories/annotation.repository';
import type { Logger } from '../log/logger';
import { bodyAtRestSchema, revisionAtRestSchema } from './annotation-at-rest.schema';

type RevisionIds = {
  readonly batchId: string;
  readonly clipId: string;
  readonly revision: number;
  readonly opId: string;
};

const revisionAad = (r: RevisionIds): Buffer =>
  aad('annotation-revision', r.batchId, r.clipId, String(r.revision), r.opId);
const legacyAad = (r: RevisionIds): Buffer => aad('annotation', r.batchId, r.clipId);
const what = (r: RevisionIds): string => `Revision ${r.revision} of clip "${r.clipId}" in batch "${r.batchId}"`;

/** Seals a new revision's body with its disposition; `memo` keeps it for reading back soon. */
export const sealRevision = (
  key: Buffer,
  r: RevisionIds,
  body: AnnotationBody,
  disposition: Disposition,
  memo?: SealMemo,
): Sealed => sealJson(key, { ...body, disposition }, revisionAad(r), memo);

/**
 * Opens a stored revision, legacy or not. Throws AuthenticationError, naming the revision, when
 * the body does not authenticate for this row: altered, or moved from another row.
 */
export function openRevision(
  key: Buffer,
  batchId: string,
  row: AnnotationRow,
  memo?: SealMemo,
): AnnotationBody & { readonly disposition: Disposition } {
  const ids = { batchId, clipId: row.clipId, revision: row.revision, opId: row.opId };
  if (row.legacy) {
    return {
      ...openJson(key, row.body, legacyAad(ids), bodyAtRestSchema, what(ids)),
      disposition: row.legacy.disposition,
    };
  }
  return openJson(key, row.body, revisionAad(ids), revisionAtRestSchema, what(ids), memo);
}

/** Seals every legacy revision's disposition with its body and clears the columns. */
export function resealLegacyAnnotations(
  annotations: Pick<AnnotationRepository, 'legacyAnnotations' | 'resealAnnotation'>,
  key: Buffer,
  logger: Logger,
): void {
  const legacy = annotations.legacyAnnotations();
  for (const row of legacy) {
    const { disposition, ...body } = openRevision(key, row.batchId, row);
    annotations.resealAnnotation(row.opId, sealRevision(key, { ...row, batchId: row.batchId }, body, disposition));
  }
  if (legacy.length > 0) {
    logger.info('annotations: dispositions sealed', { count: legacy.length });
  }
}
