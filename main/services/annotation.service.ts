/**
 * Reviewers' work on clips: drafts saved as they type, append-only revisions on submit, the
 * position in each batch, and escalations. Bodies are sealed under the workstation's annotation
 * key, which outlives any batch key, so unsynced work survives a batch's crypto-erase.
 *
 * Rules this service owns, and how it reaches what they need:
 * - A submit and its metrics commit together (one unit of work around the revision, its
 *   outbox row and `measureSubmit`), so a crash cannot keep one without the other.
 * - A draft saved while locked is held, sealed for the device public key, and saved at the
 *   unlock: it asks `lockState` (draft-policy.ts).
 * - At `lock:locked` the annotation key is zero-filled and dropped.
 * - Saved work is announced (`batches:changed` to the windows, `work:saved` to the sender)
 *   only once it has committed.
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
import { draftAtRestSchema } from './annotation-at-rest.schema';
import { openRevision, resealLegacyAnnotations, sealRevision } from './annotation-seal';
import { openEscalation, resealLegacyEscalations, sealEscalation } from './escalation-seal';
import type { UnitOfWork } from '../db/unit-of-work';
import type { Logger } from '../log/logger';
import { createDraftPolicy, type DraftPolicyDeps } from './draft-policy';
import type { EventHub } from './event-hub';
import type { HeldDraft } from './held-drafts';
import { ServiceError } from './service-error';
import type { TrustedClock } from './trusted-clock';
import { consentWithdrawn, type VaultService } from './vault.service';
import { createSealMemo } from '../../core/crypto/seal-memo';

export type AnnotationDeps = {
  readonly annotations: AnnotationRepository;
  readonly batches: BatchRepository;
  readonly clips: VaultRepository;
  readonly vault: Pick<VaultService, 'deviceKey'>;
  /** The keyed reference an escalation names its clip by (clip-refs.ts). */
  readonly clipRef: (batchId: string, clipId: string) => string;
  readonly clock: TrustedClock;
  /** Announces saved work (after commit) and brings `lock:locked` / `lock:unlocked`. */
  readonly events: Pick<EventHub, 'emit' | 'publish' | 'on'>;
  readonly logger: Logger;
  /** What a submit commits as one. */
  readonly unitOfWork: Pick<UnitOfWork, 'run'>;
  /**
   * Stores the metrics of a submitted clip, inside the submit's unit of work: if it throws,
   * the submit rolls back with it.
   */
  readonly measureSubmit: (annotation: Annotation) => void;
  readonly lockState: DraftPolicyDeps['lockState'];
  readonly heldDrafts: DraftPolicyDeps['heldDrafts'];
  /** The pseudonym work is saved under; its outbox rows are sent only in that reviewer's session. */
  readonly author: () => string;
};

export type SubmitRequest = {
  readonly batchId: string;
  readonly clipId: string;
  readonly basedOnRevision: number;
  readonly disposition: Disposition;
  readonly body: AnnotationBody;
};

/** Revisions kept with their plaintext after sealing: more than a shift's submits, so a sync after one opens none. */
const REVISION_MEMO_ENTRIES = 2048;

export function createAnnotationService(d: AnnotationDeps) {
  let key: Buffer | undefined;
  // A submit reads its revision back at once, and the next sync reads it again to send it.
  const memo = createSealMemo(REVISION_MEMO_ENTRIES);
  let resealed = false;
  const localKey = (): Buffer => {
    if (!key) {
      key = deriveLocalKey(d.vault.deviceKey(), 'annotations');
      if (!resealed) {
        resealed = true;
        resealLegacyEscalations(d.annotations, key, d.clipRef, d.logger);
        resealLegacyAnnotations(d.annotations, key, d.logger);
      }
    }
    return key;
  };

  const sealBody = (value: unknown, purpose: string, ...ids: string[]): Sealed =>
    sealJson(localKey(), value, aad(purpose, ...ids));
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
    submittedAt: r.submittedAt,
    ...openRevision(localKey(), batchId, r, memo),
  });

  const requireClip = (batchId: string, clipId: string): void => {
    if (!d.batches.status(batchId)) {
      throw new ServiceError('NOT_FOUND', `No batch "${batchId}" on this workstation.`);
    }
    if (!d.clips.hasClip(batchId, clipId) && d.clips.wasErased(batchId, clipId)) {
      throw consentWithdrawn(clipId);
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

  const saveSealedDraft = (h: HeldDraft): { savedAt: number } => {
    requireClip(h.batchId, h.clipId);
    stale(h.batchId, h.clipId, h.basedOnRevision);
    const savedAt = d.clock.now();
    const sealed = sealBody({ ...h.body, disposition: h.disposition }, 'draft', h.batchId, h.clipId);
    d.annotations.saveDraft(h.batchId, h.clipId, { basedOnRevision: h.basedOnRevision, savedAt, body: sealed });
    return { savedAt };
  };

  /** Zero-fills and drops the annotation key, and the plaintext kept with it; the next use derives it again. */
  const forgetKey = (): void => {
    key?.fill(0);
    key = undefined;
    memo.clear();
  };

  d.events.on('lock:locked', forgetKey);
  const drafts = createDraftPolicy({ ...d, save: saveSealedDraft });

  return {
    state(batchId: string): ReviewState {
      if (!d.batches.status(batchId)) {
        throw new ServiceError('NOT_FOUND', `No batch "${batchId}" on this workstation.`);
      }
      return {
        batchId,
        currentClipId: d.annotations.position(batchId),
        // Dispositions are sealed: each latest revision is opened here, never summed in SQL.
        submitted: d.annotations.latestPerClip(batchId).map((r) => ({
          clipId: r.clipId,
          revision: r.revision,
          disposition: openRevision(localKey(), batchId, r, memo).disposition,
        })),
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

    /**
     * Stores the reviewer's unsubmitted work, with the disposition chosen so far, sealed as one.
     * Locked, it is held instead (see the module note) and answers the same way: the work is
     * on disk and becomes a draft at the unlock.
     */
    saveDraft(
      batchId: string,
      clipId: string,
      basedOnRevision: number,
      body: AnnotationBody,
      disposition: Disposition | null = null,
    ): { savedAt: number } {
      return drafts.save({ batchId, clipId, basedOnRevision, body, disposition });
    },

    /**
     * Stores the next revision and its metrics as one unit of work; refused when the reviewer's
     * copy is not the latest.
     */
    submit(r: SubmitRequest): Annotation {
      return d.unitOfWork.run(() => {
        requireClip(r.batchId, r.clipId);
        if (d.batches.status(r.batchId) !== 'active') {
          throw new ServiceError('EXPIRED', `Batch "${r.batchId}" is no longer active.`);
        }
        stale(r.batchId, r.clipId, r.basedOnRevision);
        const ids = { batchId: r.batchId, clipId: r.clipId, revision: r.basedOnRevision + 1, opId: randomUUID() };
        const row: AnnotationRow = {
          clipId: r.clipId,
          revision: ids.revision,
          opId: ids.opId,
          submittedAt: d.clock.now(),
          body: sealRevision(localKey(), ids, r.body, r.disposition, memo),
        };
        d.annotations.submit(r.batchId, row, d.author());
        const annotation = toAnnotation(r.batchId, row);
        d.measureSubmit(annotation);
        d.events.emit('batches:changed', d.batches.list());
        d.events.publish('work:saved');
        return annotation;
      });
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
      const clipRef = d.clipRef(e.batchId, e.clipId);
      d.annotations.escalate(
        {
          id,
          batchId: e.batchId,
          clipRef,
          createdAt,
          note: sealEscalation(localKey(), { id, batchId: e.batchId, clipId: e.clipId, clipRef }, e.note, e.category),
        },
        d.author(),
      );
      d.events.publish('work:saved');
      return { id, createdAt };
    },

    /** A stored revision by its op id, opened for sending; undefined when there is none. */
    revisionByOpId(opId: string): Annotation | undefined {
      const row = d.annotations.byOpId(opId);
      return row ? toAnnotation(row.batchId, row) : undefined;
    },

    /** Stored revisions by op id, read together (one statement for a whole request's worth), for sending. */
    revisionsByOpIds(opIds: readonly string[]): Map<string, Annotation> {
      return new Map(d.annotations.byOpIds(opIds).map((row) => [row.opId, toAnnotation(row.batchId, row)]));
    },

    /** A stored escalation, opened for sending; undefined when there is none. */
    escalationById(id: string): (EscalationRequest & { readonly createdAt: number }) | undefined {
      const row = d.annotations.escalation(id);
      if (!row) {
        return undefined;
      }
      const k = localKey();
      // Re-read: the first use of the key may just have re-sealed a legacy row.
      const { note, category, clipId } = openEscalation(k, d.annotations.escalation(id) ?? row);
      return { batchId: row.batchId, clipId, category, note, createdAt: row.createdAt };
    },

    forgetKey,

    /** Drops the plaintext kept of revisions sealed lately (after an erasure), keeping the key. */
    forgetPlaintext: (): void => memo.clear(),

    /** How many revisions sealed lately are kept with their plaintext: what a lock or an erasure empties. */
    revisionsInMemory: (): number => memo.stats().size,
  };
}

export type AnnotationService = ReturnType<typeof createAnnotationService>;
