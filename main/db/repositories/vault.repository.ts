/**
 * SQL for clips and batch keys. Everything readable about a clip is stored encrypted; this
 * layer moves ciphertext and ids, never plaintext.
 */
import type { BatchStatus } from '../../../shared/domain/batch';
import type { Sealed } from '../../../core/crypto/aead';
import type { Connection } from '../connection';

export type ClipRow = {
  readonly clipId: string;
  readonly ordinal: number;
  readonly state: 'ready' | 'quarantined' | 'purged';
  readonly reason: string | null;
  readonly meta: Sealed | null;
};

export type NewClip =
  | {
      readonly clipId: string;
      readonly ordinal: number;
      readonly state: 'ready';
      readonly audio: Sealed;
      readonly meta: Sealed;
    }
  | {
      readonly clipId: string;
      readonly ordinal: number;
      readonly state: 'quarantined';
      readonly reason: string;
      readonly meta: Sealed;
    };

type RawClip = {
  clip_id: string;
  ordinal: number;
  state: ClipRow['state'];
  reason: string | null;
  meta_iv: Buffer | null;
  meta_tag: Buffer | null;
  meta: Buffer | null;
};

const sealedOrNull = (iv: Buffer | null, tag: Buffer | null, ciphertext: Buffer | null): Sealed | null =>
  iv && tag && ciphertext ? { iv, tag, ciphertext } : null;

export function createVaultRepository(db: Connection) {
  const insertKey = db.prepare<[string, string, Buffer]>(
    'INSERT INTO batch_keys (batch_id, key_id, wrap) VALUES (?, ?, ?)',
  );
  const selectKey = db.prepare<[string], { wrap: Buffer }>('SELECT wrap FROM batch_keys WHERE batch_id = ?');
  const deleteKey = db.prepare<[string]>('DELETE FROM batch_keys WHERE batch_id = ?');
  const insertReady = db.prepare<[string, string, number, Buffer, Buffer, Buffer, Buffer, Buffer, Buffer]>(
    `INSERT INTO clips (batch_id, clip_id, ordinal, state, audio_iv, audio_tag, audio, meta_iv, meta_tag, meta)
     VALUES (?, ?, ?, 'ready', ?, ?, ?, ?, ?, ?)`,
  );
  const insertQuarantined = db.prepare<[string, string, number, string, Buffer, Buffer, Buffer]>(
    `INSERT INTO clips (batch_id, clip_id, ordinal, state, reason, meta_iv, meta_tag, meta)
     VALUES (?, ?, ?, 'quarantined', ?, ?, ?, ?)`,
  );
  const insertRefused = db.prepare<[string, string]>(
    "INSERT INTO refused_clips (batch_id, clip_id, reason) VALUES (?, ?, 'consent_withdrawn')",
  );
  const selectClips = db.prepare<[string], RawClip>(
    'SELECT clip_id, ordinal, state, reason, meta_iv, meta_tag, meta FROM clips WHERE batch_id = ? ORDER BY ordinal',
  );
  const selectAudio = db.prepare<
    [string, string],
    { audio_iv: Buffer; audio_tag: Buffer; audio: Buffer; meta_iv: Buffer; meta_tag: Buffer; meta: Buffer }
  >(
    "SELECT audio_iv, audio_tag, audio, meta_iv, meta_tag, meta FROM clips WHERE batch_id = ? AND clip_id = ? AND state = 'ready'",
  );
  const selectFirstMeta = db.prepare<[string], { clip_id: string; meta_iv: Buffer; meta_tag: Buffer; meta: Buffer }>(
    `SELECT clip_id, meta_iv, meta_tag, meta FROM clips WHERE batch_id = ? AND meta IS NOT NULL
     ORDER BY ordinal LIMIT 1`,
  );
  // An ended batch keeps no clip rows: its clips are known by the work stored on them.
  const selectClipExists = db.prepare<{ batchId: string; clipId: string }, { n: number }>(
    `SELECT 1 AS n FROM clips WHERE batch_id = @batchId AND clip_id = @clipId
     UNION ALL SELECT 1 FROM annotations WHERE batch_id = @batchId AND clip_id = @clipId AND erased_at IS NULL
     UNION ALL SELECT 1 FROM drafts WHERE batch_id = @batchId AND clip_id = @clipId
     LIMIT 1`,
  );
  const selectRefusedOne = db.prepare<[string, string], { n: number }>(
    'SELECT 1 AS n FROM refused_clips WHERE batch_id = ? AND clip_id = ? AND erased_at IS NOT NULL',
  );
  const selectRefused = db.prepare<[string], { clip_id: string }>(
    'SELECT clip_id FROM refused_clips WHERE batch_id = ? ORDER BY clip_id',
  );
  // An ended batch keeps no clip rows, only how many were quarantined (migration 0016).
  const keepQuarantined = db.prepare<[string, string]>(
    `UPDATE batches SET erased_quarantined =
       (SELECT count(*) FROM clips WHERE batch_id = ? AND state = 'quarantined') WHERE id = ?`,
  );
  const deleteClips = db.prepare<[string]>('DELETE FROM clips WHERE batch_id = ?');
  const setStatus = db.prepare<[BatchStatus, string]>('UPDATE batches SET status = ? WHERE id = ?');
  const dueBatches = db.prepare<[number], { id: string }>(
    "SELECT id FROM batches WHERE status = 'active' AND staged = 0 AND expires_at <= ?",
  );

  return {
    saveKey: (batchId: string, keyId: string, wrap: Buffer): void => {
      insertKey.run(batchId, keyId, wrap);
    },
    wrappedKey: (batchId: string): Buffer | undefined => selectKey.get(batchId)?.wrap,
    insertClip: (batchId: string, c: NewClip): void => {
      if (c.state === 'ready') {
        insertReady.run(
          batchId,
          c.clipId,
          c.ordinal,
          c.audio.iv,
          c.audio.tag,
          c.audio.ciphertext,
          c.meta.iv,
          c.meta.tag,
          c.meta.ciphertext,
        );
      } else {
        insertQuarantined.run(batchId, c.clipId, c.ordinal, c.reason, c.meta.iv, c.meta.tag, c.meta.ciphertext);
      }
    },
    insertRefused: (batchId: string, clipId: string): void => {
      insertRefused.run(batchId, clipId);
    },
    clips: (batchId: string): ClipRow[] =>
      selectClips.all(batchId).map((r) => ({
        clipId: r.clip_id,
        ordinal: r.ordinal,
        state: r.state,
        reason: r.reason,
        meta: sealedOrNull(r.meta_iv, r.meta_tag, r.meta),
      })),
    readyClip: (batchId: string, clipId: string): { audio: Sealed; meta: Sealed } | undefined => {
      const r = selectAudio.get(batchId, clipId);
      return r
        ? {
            audio: { iv: r.audio_iv, tag: r.audio_tag, ciphertext: r.audio },
            meta: { iv: r.meta_iv, tag: r.meta_tag, ciphertext: r.meta },
          }
        : undefined;
    },
    /** The sealed details of the batch's first clip that has them, with the clip's id. */
    firstMeta: (batchId: string): { clipId: string; meta: Sealed } | undefined => {
      const r = selectFirstMeta.get(batchId);
      return r ? { clipId: r.clip_id, meta: { iv: r.meta_iv, tag: r.meta_tag, ciphertext: r.meta } } : undefined;
    },
    /** A clip of the batch: held, or (the batch ended) named by the reviewer's revisions or draft. */
    hasClip: (batchId: string, clipId: string): boolean => selectClipExists.get({ batchId, clipId }) !== undefined,
    refusedClipIds: (batchId: string): string[] => selectRefused.all(batchId).map((r) => r.clip_id),
    /** The clip was erased after import because its consent was withdrawn. */
    wasErased: (batchId: string, clipId: string): boolean => selectRefusedOne.get(batchId, clipId) !== undefined,
    batchesDueBy: (now: number): string[] => dueBatches.all(now).map((r) => r.id),
    /**
     * Crypto-erase, in one transaction: the wrapped key goes first, then the (already
     * undecryptable) clip rows, whole, and the batch is marked. All or nothing.
     */
    eraseBatch: (batchId: string, status: Exclude<BatchStatus, 'active'>): void => {
      db.transaction(() => {
        deleteKey.run(batchId);
        keepQuarantined.run(batchId, batchId);
        deleteClips.run(batchId);
        setStatus.run(status, batchId);
      }).immediate();
    },
    /**
     * Gives the free pages of purged rows back to the disk (with incremental auto-vacuum), then
     * moves committed pages out of the WAL so purged bytes do not linger there either.
     */
    checkpoint: (): void => {
      db.pragma('incremental_vacuum');
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
  };
}

export type VaultRepository = ReturnType<typeof createVaultRepository>;
