/**
 * SQL for annotations, drafts, review positions and escalations. Bodies arrive and leave as
 * ciphertext; this layer never sees a transcript. A revision's disposition is sealed inside its
 * body; only rows from before that (migration 0012) still carry it, and the critical flag, in
 * `legacy` until they are re-sealed.
 */
import type { Disposition, EscalationCategory } from '../../../shared/domain/annotation';
import type { Connection } from '../connection';
import { prepareOutboxInsert } from './outbox.repository';
import type { Sealed } from '../../../core/crypto/aead';
import { sealedFromBytes } from '../../../core/crypto/codec';
import { sealedColumns } from '../sealed-columns';

/** What a revision row held in the clear before its disposition was sealed (migration 0012). */
export type LegacyFacts = { readonly disposition: Disposition; readonly critical: boolean };

export type AnnotationRow = {
  readonly clipId: string;
  readonly revision: number;
  readonly opId: string;
  readonly submittedAt: number;
  readonly body: Sealed;
  /** Set only on a row from before dispositions were sealed; its body is sealed the old way. */
  readonly legacy?: LegacyFacts | null;
};

/**
 * An escalation as stored. A row names its clip by a keyed reference (`clipRef`); only a row from
 * before that (migration 0017) names `clipId`, and one from before migration 0007 its `category`.
 */
export type StoredEscalation = {
  readonly id: string;
  readonly batchId: string;
  readonly clipId: string | null;
  readonly clipRef: string | null;
  readonly category: EscalationCategory | null;
  readonly createdAt: number;
  readonly note: Sealed;
};

type RawEscalation = {
  id: string;
  batch_id: string;
  clip_id: string | null;
  clip_ref: string | null;
  category: EscalationCategory | null;
  created_at: number;
  note_iv: Buffer;
  note_tag: Buffer;
  note: Buffer;
};

const toEscalation = (r: RawEscalation): StoredEscalation => ({
  id: r.id,
  batchId: r.batch_id,
  clipId: r.clip_id,
  clipRef: r.clip_ref,
  category: r.category,
  createdAt: r.created_at,
  note: { iv: r.note_iv, tag: r.note_tag, ciphertext: r.note },
});

const ESCALATION_COLUMNS = 'id, batch_id, clip_id, clip_ref, category, created_at, note_iv, note_tag, note';

export type DraftRow = { readonly basedOnRevision: number; readonly savedAt: number; readonly body: Sealed };

type RawAnnotation = {
  clip_id: string;
  revision: number;
  op_id: string;
  disposition: Disposition | null;
  critical: number | null;
  submitted_at: number;
  /** IV, tag and ciphertext in one blob (sealed-columns.ts). */
  sealed: Buffer;
};

const toRow = (r: RawAnnotation): AnnotationRow => ({
  clipId: r.clip_id,
  revision: r.revision,
  opId: r.op_id,
  submittedAt: r.submitted_at,
  body: sealedFromBytes(r.sealed),
  legacy: r.disposition === null ? null : { disposition: r.disposition, critical: r.critical === 1 },
});

const COLUMNS = `clip_id, revision, op_id, disposition, critical, submitted_at, ${sealedColumns('body_iv', 'body_tag', 'body')} AS sealed`;
/** Revisions of clips whose consent was withdrawn are kept as ids alone, never read. */
const LIVE = 'erased_at IS NULL';

export function createAnnotationRepository(db: Connection) {
  const latest = db.prepare<[string, string], RawAnnotation>(
    `SELECT ${COLUMNS} FROM annotations WHERE batch_id = ? AND clip_id = ? AND ${LIVE} ORDER BY revision DESC LIMIT 1`,
  );
  const history = db.prepare<[string, string], RawAnnotation>(
    `SELECT ${COLUMNS} FROM annotations WHERE batch_id = ? AND clip_id = ? AND ${LIVE} ORDER BY revision`,
  );
  const latestPerClip = db.prepare<[string], RawAnnotation>(
    `SELECT ${COLUMNS} FROM annotations a
     WHERE a.batch_id = ? AND a.${LIVE}
       AND a.revision = (SELECT max(revision) FROM annotations b WHERE b.batch_id = a.batch_id AND b.clip_id = a.clip_id)
     ORDER BY a.clip_id`,
  );
  const insert = db.prepare<[string, string, number, string, number, Buffer, Buffer, Buffer]>(
    `INSERT INTO annotations (batch_id, clip_id, revision, op_id, submitted_at, body_iv, body_tag, body)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectDraft = db.prepare<
    [string, string],
    { based_on_revision: number; saved_at: number; body_iv: Buffer; body_tag: Buffer; body: Buffer }
  >('SELECT based_on_revision, saved_at, body_iv, body_tag, body FROM drafts WHERE batch_id = ? AND clip_id = ?');
  const upsertDraft = db.prepare<[string, string, number, number, Buffer, Buffer, Buffer]>(
    `INSERT INTO drafts (batch_id, clip_id, based_on_revision, saved_at, body_iv, body_tag, body) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (batch_id, clip_id) DO UPDATE SET based_on_revision = excluded.based_on_revision,
       saved_at = excluded.saved_at, body_iv = excluded.body_iv, body_tag = excluded.body_tag, body = excluded.body`,
  );
  const deleteDraft = db.prepare<[string, string]>('DELETE FROM drafts WHERE batch_id = ? AND clip_id = ?');
  const selectPosition = db.prepare<[string], { clip_id: string }>(
    'SELECT clip_id FROM review_positions WHERE batch_id = ?',
  );
  const upsertPosition = db.prepare<[string, string, number]>(
    `INSERT INTO review_positions (batch_id, clip_id, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (batch_id) DO UPDATE SET clip_id = excluded.clip_id, updated_at = excluded.updated_at`,
  );
  const countDone = db.prepare<[string], { n: number }>(
    `SELECT count(DISTINCT clip_id) AS n FROM annotations WHERE batch_id = ? AND ${LIVE}`,
  );
  const setDone = db.prepare<[number, string]>('UPDATE batches SET done_count = ? WHERE id = ?');
  const addOutbox = prepareOutboxInsert(db);
  const selectEscalation = db.prepare<[string], RawEscalation>(
    `SELECT ${ESCALATION_COLUMNS} FROM escalations WHERE id = ?`,
  );
  const selectByOp = db.prepare<[string], RawAnnotation & { batch_id: string }>(
    `SELECT batch_id, ${COLUMNS} FROM annotations WHERE op_id = ? AND ${LIVE}`,
  );
  const selectByOps = db.prepare<[string], RawAnnotation & { batch_id: string }>(
    `SELECT batch_id, ${COLUMNS} FROM annotations WHERE op_id IN (SELECT value FROM json_each(?)) AND ${LIVE}`,
  );
  const selectLegacyAnnotations = db.prepare<[], RawAnnotation & { batch_id: string }>(
    `SELECT batch_id, ${COLUMNS} FROM annotations WHERE disposition IS NOT NULL AND ${LIVE}`,
  );
  const resealAnnotation = db.prepare<[Buffer, Buffer, Buffer, string]>(
    'UPDATE annotations SET disposition = NULL, critical = NULL, body_iv = ?, body_tag = ?, body = ? WHERE op_id = ?',
  );
  const insertEscalation = db.prepare<[string, string, string, number, Buffer, Buffer, Buffer]>(
    `INSERT INTO escalations (id, batch_id, clip_ref, created_at, note_iv, note_tag, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const selectLegacyEscalations = db.prepare<[], RawEscalation>(
    `SELECT ${ESCALATION_COLUMNS} FROM escalations WHERE clip_id IS NOT NULL`,
  );
  const resealEscalation = db.prepare<[string, Buffer, Buffer, Buffer, string]>(
    'UPDATE escalations SET clip_id = NULL, category = NULL, clip_ref = ?, note_iv = ?, note_tag = ?, note = ? WHERE id = ?',
  );
  // The escalation's outbox row named the clip too: it takes the same reference.
  const resealEscalationOp = db.prepare<[string, string]>(
    "UPDATE outbox SET clip_id = ? WHERE op_id = ? AND kind = 'escalation'",
  );
  return {
    latest: (batchId: string, clipId: string): AnnotationRow | undefined => {
      const r = latest.get(batchId, clipId);
      return r ? toRow(r) : undefined;
    },
    history: (batchId: string, clipId: string): AnnotationRow[] => history.all(batchId, clipId).map(toRow),
    /** The latest revision of every submitted clip of the batch, sealed as stored. */
    latestPerClip: (batchId: string): AnnotationRow[] => latestPerClip.all(batchId).map(toRow),
    /**
     * Stores a revision with its outbox row (by `author`), clears the clip's draft and updates
     * the batch's done count, in one transaction: the caller may say "saved" once this returns.
     */
    submit: (batchId: string, a: AnnotationRow, author: string): void => {
      db.transaction(() => {
        insert.run(batchId, a.clipId, a.revision, a.opId, a.submittedAt, a.body.iv, a.body.tag, a.body.ciphertext);
        addOutbox({
          opId: a.opId,
          kind: 'annotation',
          author,
          batchId,
          clipId: a.clipId,
          revision: a.revision,
          auditType: null,
          refOpId: null,
          createdAt: a.submittedAt,
        });
        deleteDraft.run(batchId, a.clipId);
        setDone.run(countDone.get(batchId)?.n ?? 0, batchId);
      }).immediate();
    },
    draft: (batchId: string, clipId: string): DraftRow | undefined => {
      const r = selectDraft.get(batchId, clipId);
      return r
        ? {
            basedOnRevision: r.based_on_revision,
            savedAt: r.saved_at,
            body: { iv: r.body_iv, tag: r.body_tag, ciphertext: r.body },
          }
        : undefined;
    },
    saveDraft: (batchId: string, clipId: string, d: DraftRow): void => {
      upsertDraft.run(batchId, clipId, d.basedOnRevision, d.savedAt, d.body.iv, d.body.tag, d.body.ciphertext);
    },
    dropDraft: (batchId: string, clipId: string): void => {
      deleteDraft.run(batchId, clipId);
    },
    position: (batchId: string): string | null => selectPosition.get(batchId)?.clip_id ?? null,
    setPosition: (batchId: string, clipId: string, at: number): void => {
      upsertPosition.run(batchId, clipId, at);
    },
    /**
     * Stores an escalation with its outbox row (by `author`), in one transaction. Its category and
     * clip id are inside `note`; both rows name the clip by `clipRef` alone.
     */
    escalate: (
      e: {
        id: string;
        batchId: string;
        clipRef: string;
        createdAt: number;
        note: Sealed;
      },
      author: string,
    ): void => {
      db.transaction(() => {
        insertEscalation.run(e.id, e.batchId, e.clipRef, e.createdAt, e.note.iv, e.note.tag, e.note.ciphertext);
        addOutbox({
          opId: e.id,
          kind: 'escalation',
          author,
          batchId: e.batchId,
          clipId: e.clipRef,
          revision: null,
          auditType: null,
          refOpId: null,
          createdAt: e.createdAt,
        });
      }).immediate();
    },
    /** An escalation's sealed note and facts, for sending; undefined when there is none. */
    escalation: (id: string): StoredEscalation | undefined => {
      const r = selectEscalation.get(id);
      return r ? toEscalation(r) : undefined;
    },
    /** Escalations that still name their clip (from before migration 0017), or their category (0007). */
    legacyEscalations: (): StoredEscalation[] => selectLegacyEscalations.all().map(toEscalation),
    /**
     * Replaces a legacy escalation's note with one sealed with its category and clip, names the
     * clip by `clipRef` in it and its outbox row, and clears the plain columns, in one transaction.
     */
    resealEscalation: (id: string, clipRef: string, note: Sealed): void => {
      db.transaction(() => {
        resealEscalation.run(clipRef, note.iv, note.tag, note.ciphertext, id);
        resealEscalationOp.run(clipRef, id);
      }).immediate();
    },
    /** Revisions whose disposition is still in plain text (from before migration 0012). */
    legacyAnnotations: (): (AnnotationRow & { readonly batchId: string })[] =>
      selectLegacyAnnotations.all().map((r) => ({ ...toRow(r), batchId: r.batch_id })),
    /** Replaces a legacy revision's body with one sealed with its disposition, and clears the columns. */
    resealAnnotation: (opId: string, body: Sealed): void => {
      resealAnnotation.run(body.iv, body.tag, body.ciphertext, opId);
    },
    /** One stored revision by its op id, for sending. */
    byOpId: (opId: string): (AnnotationRow & { readonly batchId: string }) | undefined => {
      const r = selectByOp.get(opId);
      return r ? { ...toRow(r), batchId: r.batch_id } : undefined;
    },
    /** Stored revisions by op id, in one statement for the whole list (those erased or unknown are absent). */
    byOpIds: (opIds: readonly string[]): (AnnotationRow & { readonly batchId: string })[] =>
      opIds.length === 0
        ? []
        : selectByOps.all(JSON.stringify(opIds)).map((r) => ({ ...toRow(r), batchId: r.batch_id })),
  };
}

export type AnnotationRepository = ReturnType<typeof createAnnotationRepository>;
