/**
 * SQL for erasing one clip whose speaker withdrew consent after the batch was checked out. In one
 * transaction: the clip's audio and details go (overwritten on disk: the connection runs with
 * `secure_delete`), the clip is recorded as refused like one withdrawn before import, its draft,
 * escalations and every op not yet acknowledged are dropped, its revisions keep their ids but lose
 * their bodies (so the count of committed work never goes down), and the audit event is queued.
 */
import type { Connection } from '../connection';
import { prepareOutboxInsert, type NewOutboxRow } from './outbox.repository';

/** What an erasure removed; `erased` is false when there was nothing of the clip to erase. */
export type ClipErasure = {
  readonly erased: boolean;
  /** Ops (revisions, escalations) that had not reached the service and never will. */
  readonly droppedOps: number;
  readonly droppedDrafts: number;
  readonly droppedEscalations: number;
  readonly erasedRevisions: number;
};

const nothing: ClipErasure = {
  erased: false,
  droppedOps: 0,
  droppedDrafts: 0,
  droppedEscalations: 0,
  erasedRevisions: 0,
};

export function createConsentRepository(db: Connection) {
  // An ended batch keeps no clip rows (migration 0016): there the clip is known by its work.
  // Escalations name the clip by its keyed reference; rows from before migration 0017 by its id.
  const hasClip = db.prepare<{ batchId: string; clipId: string; clipRef: string }, { n: number }>(
    `SELECT 1 AS n FROM clips WHERE batch_id = @batchId AND clip_id = @clipId
     UNION ALL SELECT 1 FROM annotations WHERE batch_id = @batchId AND clip_id = @clipId AND erased_at IS NULL
     UNION ALL SELECT 1 FROM drafts WHERE batch_id = @batchId AND clip_id = @clipId
     UNION ALL SELECT 1 FROM escalations WHERE batch_id = @batchId AND (clip_ref = @clipRef OR clip_id = @clipId)
     LIMIT 1`,
  );
  const deleteClip = db.prepare<[string, string]>('DELETE FROM clips WHERE batch_id = ? AND clip_id = ?');
  const refuse = db.prepare<[string, string, number]>(
    "INSERT OR IGNORE INTO refused_clips (batch_id, clip_id, reason, erased_at) VALUES (?, ?, 'consent_withdrawn', ?)",
  );
  const deleteDraft = db.prepare<[string, string]>('DELETE FROM drafts WHERE batch_id = ? AND clip_id = ?');
  const deleteEscalations = db.prepare<[string, string, string]>(
    'DELETE FROM escalations WHERE batch_id = ? AND (clip_ref = ? OR clip_id = ?)',
  );
  // An escalation's outbox row holds the clip's reference where other ops hold its id.
  const dropOps = db.prepare<[string, string, string]>(
    "DELETE FROM outbox WHERE batch_id = ? AND clip_id IN (?, ?) AND state <> 'acked'",
  );
  const emptyRevisions = db.prepare<[number, string, string]>(
    `UPDATE annotations SET erased_at = ?, disposition = NULL, critical = NULL, body_iv = x'', body_tag = x'', body = x''
     WHERE batch_id = ? AND clip_id = ? AND erased_at IS NULL`,
  );
  const setDone = db.prepare<[string, string]>(
    `UPDATE batches SET done_count =
       (SELECT count(DISTINCT clip_id) FROM annotations WHERE batch_id = ? AND erased_at IS NULL) WHERE id = ?`,
  );
  const withdrawn = db.prepare<[string], { clip_id: string }>('SELECT clip_id FROM refused_clips WHERE batch_id = ?');
  const addOutbox = prepareOutboxInsert(db);

  return {
    /** Clips of the batch already recorded as withdrawn (at import or since). */
    withdrawnClipIds: (batchId: string): Set<string> => new Set(withdrawn.all(batchId).map((r) => r.clip_id)),
    /**
     * Erases a clip of a batch held here, with its audit event (`audit`, when someone is signed in
     * to be its author), all or nothing. A clip this workstation does not hold is left alone.
     * `clipRef` is the keyed reference its escalations name it by.
     */
    eraseClip(
      clip: { batchId: string; clipId: string; clipRef: string },
      at: number,
      audit: NewOutboxRow | null,
    ): ClipErasure {
      const { batchId, clipId, clipRef } = clip;
      return db
        .transaction((): ClipErasure => {
          if (!hasClip.get({ batchId, clipId, clipRef })) {
            return nothing;
          }
          deleteClip.run(batchId, clipId);
          refuse.run(batchId, clipId, at);
          const erasure: ClipErasure = {
            erased: true,
            droppedDrafts: deleteDraft.run(batchId, clipId).changes,
            droppedEscalations: deleteEscalations.run(batchId, clipRef, clipId).changes,
            droppedOps: dropOps.run(batchId, clipId, clipRef).changes,
            erasedRevisions: emptyRevisions.run(at, batchId, clipId).changes,
          };
          setDone.run(batchId, batchId);
          if (audit) {
            addOutbox(audit);
          }
          return erasure;
        })
        .immediate();
    },
  };
}

export type ConsentRepository = ReturnType<typeof createConsentRepository>;
