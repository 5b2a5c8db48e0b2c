/**
 * Reviewers' work on clips: drafts saved as they type, append-only revisions on submit, the
 * position in each batch, and escalations. Bodies are sealed under the workstation's annotation
 * key, which outlives any batch key, so unsynced work survives a batch's crypto-erase.
 */
import { randomUUID } from 'node:crypto';
import type {
  Annotation,
  AnnotationBody,
  ClipWork,
  Disposition,
  Draft,
  EscalationRequest,
  ReviewState,
} from '../../shared/domain/annotation';
import { aad, type Sealed } from '../../core/crypto/aead';
import { openJson, sealJson } from '../../core/crypto/codec';
import { deriveLocalKey } from '../../core/crypto/device-key';
import type { AnnotationRepository, AnnotationRow } from '../db/repositories/annotation.repository';
import type { BatchRepository } from '../db/repositories/batch.repository';
import type { VaultRepository } from '../db/repositories/vault.repository';
import { bodyAtRestSchema, draftAtRestSchema, noteAtRestSchema } from './annotation-at-rest.schema';
import type { EventHub } from './event-hub';
import { ServiceError } from './service-error';
import type { TrustedClock } from './trusted-clock';
import type { VaultService } from './vault.service';

export type AnnotationDeps = {
  readonly annotations: AnnotationRepository;
  readonly batches: BatchRepository;
  readonly clips: VaultRepository;
  readonly vault: VaultService;
  readonly clock: TrustedClock;
  readonly events: EventHub;
  /** The pseudonym work is saved under; its outbox rows are sent only in that reviewer's session. */
  readonly author: () => string;
  /** Called after work and its outbox row commit, so the sender can start. */
  readonly saved?: () => void;
};

export type SubmitRequest = {
  readonly batchId: string;
  readonly clipId: string;
  readonly basedOnRevision: number;
  readonly disposition: Disposition;
  readonly body: AnnotationBody;
};

export function createAnnotationService(d: AnnotationDeps) {
  let key: Buffer | undefined;
  const localKey = (): Buffer => {
    key ??= deriveLocalKey(d.vault.deviceKey(), 'annotations');
    return key;
  };

  const sealBody = (value: unknown, purpose: string, ...ids: string[]): Sealed =>
    sealJson(localKey(), value, aad(purpose, ...ids));
  const openBody = (c: Sealed, purpose: string, batchId: string, clipId: string): AnnotationBody =>
    openJson(localKey(), c, aad(purpose, batchId, clipId), bodyAtRestSchema);
  // Drafts sealed before they carried a disposition open with none.
  const openDraft = (
    c: Sealed,
    batchId: string,
    clipId: string,
  ): AnnotationBody & { disposition: Disposition | null } =>
    openJson(localKey(), c, aad('draft', batchId, clipId), draftAtRestSchema);
  const toAnnotation = (batchId: string, r: AnnotationRow): Annotation => ({
    batchId,
    clipId: r.clipId,
    revision: r.revision,
    opId: r.opId,
    disposition: r.disposition,
    submittedAt: r.submittedAt,
    ...openBody(r.body, 'annotation', batchId, r.clipId),
  });

  const requireClip = (batchId: string, clipId: string): void => {
    if (!d.batches.find(batchId)) {
      throw new ServiceError('NOT_FOUND', `No batch "${batchId}" on this workstation.`);
    }
    if (!d.clips.hasClip(batchId, clipId)) {
      throw new ServiceError('NOT_FOUND', `Batch "${batchId}" has no clip "${clipId}".`);
    }
  };
  const latestRevision = (batchId: string, clipId: string): number =>
    d.annotations.latest(batchId, clipId)?.revision ?? 0;
  const stale = (batchId: string, clipId: string, basedOn: number): void => {
    const latest = latestRevision(batchId, clipId);
    if (latest !== basedOn) {
      throw new ServiceError(
        'CONFLICT',
        `Clip "${clipId}" is at revision ${latest}, not ${basedOn}: reopen it so newer work is not overwritten.`,
      );
    }
  };

  return {
    state(batchId: string): ReviewState {
      if (!d.batches.find(batchId)) {
        throw new ServiceError('NOT_FOUND', `No batch "${batchId}" on this workstation.`);
      }
      return {
        batchId,
        currentClipId: d.annotations.position(batchId),
        submitted: d.annotations.latestPerClip(batchId),
      };
    },

    setPosition(batchId: string, clipId: string): null {
      requireClip(batchId, clipId);
      d.annotations.setPosition(batchId, clipId, d.clock.now());
      return null;
    },

    /** The clip's latest revision and its draft; a draft older than the latest revision is dropped. */
    work(batchId: string, clipId: string): ClipWork {
      requireClip(batchId, clipId);
      const latestRow = d.annotations.latest(batchId, clipId);
      const draftRow = d.annotations.draft(batchId, clipId);
      let draft: Draft | null = null;
      if (draftRow && draftRow.basedOnRevision < (latestRow?.revision ?? 0)) {
        d.annotations.dropDraft(batchId, clipId);
      } else if (draftRow) {
        draft = {
          basedOnRevision: draftRow.basedOnRevision,
          savedAt: draftRow.savedAt,
          ...openDraft(draftRow.body, batchId, clipId),
        };
      }
      return { latest: latestRow ? toAnnotation(batchId, latestRow) : null, draft };
    },

    /** Stores the reviewer's unsubmitted work, with the disposition chosen so far, sealed as one. */
    saveDraft(
      batchId: string,
      clipId: string,
      basedOnRevision: number,
      body: AnnotationBody,
      disposition: Disposition | null = null,
    ): { savedAt: number } {
      requireClip(batchId, clipId);
      stale(batchId, clipId, basedOnRevision);
      const savedAt = d.clock.now();
      const sealed = sealBody({ ...body, disposition }, 'draft', batchId, clipId);
      d.annotations.saveDraft(batchId, clipId, { basedOnRevision, savedAt, body: sealed });
      return { savedAt };
    },

    /** Stores the next revision; refused when the reviewer's copy is not the latest. */
    submit(r: SubmitRequest): Annotation {
      requireClip(r.batchId, r.clipId);
      if (d.batches.find(r.batchId)?.status !== 'active') {
        throw new ServiceError('EXPIRED', `Batch "${r.batchId}" is no longer active.`);
      }
      stale(r.batchId, r.clipId, r.basedOnRevision);
      const row: AnnotationRow = {
        clipId: r.clipId,
        revision: r.basedOnRevision + 1,
        opId: randomUUID(),
        disposition: r.disposition,
        submittedAt: d.clock.now(),
        body: sealBody(r.body, 'annotation', r.batchId, r.clipId),
      };
      d.annotations.submit(r.batchId, { ...row, critical: r.body.critical.length > 0 }, d.author());
      d.events.emit('batches:changed', d.batches.list());
      d.saved?.();
      return { ...toAnnotation(r.batchId, row) };
    },

    history(batchId: string, clipId: string): Annotation[] {
      requireClip(batchId, clipId);
      return d.annotations.history(batchId, clipId).map((r) => toAnnotation(batchId, r));
    },

    /** Saves an escalation, queued for the supervisor until sync delivers it. */
    escalate(e: EscalationRequest): { id: string; createdAt: number } {
      requireClip(e.batchId, e.clipId);
      const id = randomUUID();
      const createdAt = d.clock.now();
      d.annotations.escalate(
        {
          id,
          batchId: e.batchId,
          clipId: e.clipId,
          category: e.category,
          createdAt,
          note: sealBody({ note: e.note }, 'escalation', id),
        },
        d.author(),
      );
      d.saved?.();
      return { id, createdAt };
    },

    /** A stored revision by its op id, opened for sending; undefined when there is none. */
    revisionByOpId(opId: string): Annotation | undefined {
      const row = d.annotations.byOpId(opId);
      return row ? toAnnotation(row.batchId, row) : undefined;
    },

    /** A stored escalation, opened for sending; undefined when there is none. */
    escalationById(id: string): (EscalationRequest & { readonly createdAt: number }) | undefined {
      const row = d.annotations.escalation(id);
      if (!row) {
        return undefined;
      }
      const { note } = openJson(localKey(), row.note, aad('escalation', id), noteAtRestSchema);
      return { batchId: row.batchId, clipId: row.clipId, category: row.category, note, createdAt: row.createdAt };
    },

    forgetKey(): void {
      key?.fill(0);
      key = undefined;
    },
  };
}

export type AnnotationService = ReturnType<typeof createAnnotationService>;
