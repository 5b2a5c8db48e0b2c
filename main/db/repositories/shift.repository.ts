/**
 * SQL for shifts and breaks, and the escalation times the break rules count. Pseudonyms, times
 * and enum labels only.
 */
import type {
  BreakInfo,
  BreakTrigger,
  ShiftEndReason,
  ShiftInfo,
  ShiftStartReason,
} from '../../../shared/domain/timing';
import type { Connection } from '../connection';
import { createSyncSeq } from './sync-seq';

export type RawShift = {
  id: string;
  pseudonym: string;
  started_at: number;
  start_reason: ShiftStartReason;
  last_activity_at: number;
  ended_at: number | null;
  end_reason: ShiftEndReason | null;
};

export type RawBreak = {
  id: string;
  shift_id: string;
  trigger: BreakTrigger;
  started_at: number;
  ended_at: number | null;
  skipped: number;
};

/** A shift and when it last saw activity (kept apart: it changes with every event and is not synced). */
export type ShiftRow = ShiftInfo & { readonly lastActivityAt: number };

export const SHIFT_COLUMNS = 'id, pseudonym, started_at, start_reason, last_activity_at, ended_at, end_reason';
export const BREAK_COLUMNS = 'id, shift_id, trigger, started_at, ended_at, skipped';

export const toShift = (r: RawShift): ShiftRow => ({
  id: r.id,
  pseudonym: r.pseudonym,
  startedAt: r.started_at,
  startReason: r.start_reason,
  endedAt: r.ended_at,
  endReason: r.end_reason,
  lastActivityAt: r.last_activity_at,
});

export const toBreak = (r: RawBreak): BreakInfo => ({
  id: r.id,
  shiftId: r.shift_id,
  trigger: r.trigger,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  skipped: r.skipped === 1,
});

export function createShiftRepository(db: Connection) {
  const nextSeq = createSyncSeq(db);
  const selectOpen = db.prepare<[], RawShift>(`SELECT ${SHIFT_COLUMNS} FROM shifts WHERE ended_at IS NULL`);
  const selectOne = db.prepare<[string], RawShift>(`SELECT ${SHIFT_COLUMNS} FROM shifts WHERE id = ?`);
  const selectRecent = db.prepare<[number], RawShift>(
    `SELECT ${SHIFT_COLUMNS} FROM shifts ORDER BY started_at DESC, id LIMIT ?`,
  );
  const insertShift = db.prepare<[string, string, number, ShiftStartReason, number, number]>(
    `INSERT INTO shifts (id, pseudonym, started_at, start_reason, last_activity_at, sync_seq, synced) VALUES (?, ?, ?, ?, ?, ?, 0)`,
  );
  const endShift = db.prepare<[number, ShiftEndReason, number, string]>(
    'UPDATE shifts SET ended_at = max(started_at, ?), end_reason = ?, sync_seq = ?, synced = 0 WHERE id = ? AND ended_at IS NULL',
  );
  const touch = db.prepare<[number, string]>(
    'UPDATE shifts SET last_activity_at = max(last_activity_at, ?) WHERE id = ?',
  );
  const selectOpenBreak = db.prepare<[string], RawBreak>(
    `SELECT ${BREAK_COLUMNS} FROM breaks WHERE shift_id = ? AND ended_at IS NULL`,
  );
  const selectLastBreak = db.prepare<[string], RawBreak>(
    `SELECT ${BREAK_COLUMNS} FROM breaks WHERE shift_id = ? ORDER BY started_at DESC, rowid DESC LIMIT 1`,
  );
  const selectBreaks = db.prepare<[string], RawBreak>(
    `SELECT ${BREAK_COLUMNS} FROM breaks WHERE shift_id = ? ORDER BY started_at, rowid`,
  );
  const insertBreak = db.prepare<[string, string, BreakTrigger, number, number | null, number, number]>(
    `INSERT INTO breaks (id, shift_id, trigger, started_at, ended_at, skipped, sync_seq, synced) VALUES (?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  const endBreak = db.prepare<[number, number, string]>(
    'UPDATE breaks SET ended_at = max(started_at, ?), sync_seq = ?, synced = 0 WHERE id = ? AND ended_at IS NULL',
  );
  const escalationTimes = db.prepare<[number, number], { created_at: number }>(
    'SELECT created_at FROM escalations WHERE created_at >= ? AND created_at <= ? ORDER BY created_at',
  );

  const escalationsBetween = db.prepare<[number, number], { id: string; created_at: number }>(
    'SELECT id, created_at FROM escalations WHERE created_at >= ? AND created_at <= ? ORDER BY created_at, id',
  );

  const escalatedClip = db.prepare<[string, string, string, number], { n: number }>(
    'SELECT count(*) AS n FROM escalations WHERE batch_id = ? AND (clip_ref = ? OR clip_id = ?) AND created_at <= ?',
  );

  return {
    /** The workstation's open shift, if any (the schema allows one). */
    open(): ShiftRow | undefined {
      const r = selectOpen.get();
      return r ? toShift(r) : undefined;
    },
    find(id: string): ShiftRow | undefined {
      const r = selectOne.get(id);
      return r ? toShift(r) : undefined;
    },
    /** The latest shifts first. */
    recent: (limit: number): ShiftRow[] => selectRecent.all(limit).map(toShift),
    start(s: { id: string; pseudonym: string; at: number; reason: ShiftStartReason }): void {
      insertShift.run(s.id, s.pseudonym, s.at, s.reason, s.at, nextSeq());
    },
    /** Ends an open shift (and its open break, at the same time). */
    end(id: string, at: number, reason: ShiftEndReason): void {
      db.transaction(() => {
        const open = selectOpenBreak.get(id);
        if (open) {
          endBreak.run(at, nextSeq(), open.id);
        }
        endShift.run(at, reason, nextSeq(), id);
      }).immediate();
    },
    touch(id: string, at: number): void {
      touch.run(at, id);
    },
    openBreak(shiftId: string): BreakInfo | undefined {
      const r = selectOpenBreak.get(shiftId);
      return r ? toBreak(r) : undefined;
    },
    lastBreak(shiftId: string): BreakInfo | undefined {
      const r = selectLastBreak.get(shiftId);
      return r ? toBreak(r) : undefined;
    },
    breaksOf: (shiftId: string): BreakInfo[] => selectBreaks.all(shiftId).map(toBreak),
    /** Stores a break; a skipped suggestion starts and ends at `at`. */
    addBreak(b: { id: string; shiftId: string; trigger: BreakTrigger; at: number; skipped: boolean }): void {
      insertBreak.run(b.id, b.shiftId, b.trigger, b.at, b.skipped ? b.at : null, b.skipped ? 1 : 0, nextSeq());
    },
    endBreak(id: string, at: number): void {
      endBreak.run(at, nextSeq(), id);
    },
    /** When escalations were saved between two times (inclusive). */
    escalationTimes: (from: number, to: number): number[] => escalationTimes.all(from, to).map((r) => r.created_at),
    /** The ids and times of escalations saved between two times (inclusive); their category is sealed. */
    escalationsBetween: (from: number, to: number): { id: string; at: number }[] =>
      escalationsBetween.all(from, to).map((r) => ({ id: r.id, at: r.created_at })),
    /**
     * Whether a clip was escalated at or before `until`: found by its keyed reference, or by its
     * id in a row from before escalations named clips by reference (migration 0017).
     */
    escalated: (clip: { batchId: string; clipId: string; clipRef: string }, until: number): boolean =>
      (escalatedClip.get(clip.batchId, clip.clipRef, clip.clipId, until)?.n ?? 0) > 0,
  };
}

export type ShiftRepository = ReturnType<typeof createShiftRepository>;
