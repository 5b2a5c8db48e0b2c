/**
 * How an apply of ops turns out, worked out in memory from what the store held when the apply
 * began (read under the ops lock): op by op in request order, each seeing the ops before it in
 * the same request, exactly as the SQLite store stores one op at a time.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/sync/canonical-json';
import type { OpRefusalCode, OpResult } from '../../../shared/sync/messages';
import { outcomeStatus, type OpKind } from '../../../shared/sync/protocol';
import type { IncomingOp } from '../repositories';

/** The payload fields queries select or sort by, copied into columns of their own. */
export type PayloadFields = {
  readonly batchId: string | null;
  readonly clipId: string | null;
  readonly createdAt: number | null;
  readonly category: string | null;
  readonly withdrawn: boolean;
};

export function fieldsOf(payload: unknown): PayloadFields {
  const p: Record<string, unknown> =
    typeof payload === 'object' && payload !== null && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : {};
  const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    batchId: text(p.batchId),
    clipId: text(p.clipId),
    createdAt: typeof p.createdAt === 'number' ? p.createdAt : null,
    category: text(p.category),
    withdrawn: p.withdrawn !== undefined && p.withdrawn !== null,
  };
}

export type HeldOp = { kind: OpKind; account: string; hash: Buffer; seq: number | null; receivedAt: number };
export type ToStore = { op: IncomingOp; hash: Buffer; payload: string; fields: PayloadFields };

export const clipKey = (batchId: string, clipId: string): string => `${batchId}\u0000${clipId}`;
export const revisionKey = (batchId: string, clipId: string, revision: number): string =>
  `${clipKey(batchId, clipId)}\u0000${revision}`;

const refused = (
  opId: string,
  code: OpRefusalCode,
  message: string,
  current?: { readonly revision: number; readonly opId: string | null },
): OpResult => ({
  opId,
  outcome: 'rejected',
  code,
  status: outcomeStatus.rejected,
  message,
  ...(current ? { currentRevision: current.revision } : {}),
  ...(current?.opId ? { currentOpId: current.opId } : {}),
});

/** Works out each op's result in request order, as SQLite does storing one op at a time. */
export class ApplyPlan {
  readonly results: (OpResult | null)[] = [];
  readonly toStore: ToStore[] = [];
  /** Revisions stored by this apply, and the clips whose current row it moves. */
  readonly revisions: { opId: string; batchId: string; clipId: string; revision: number }[] = [];
  readonly movedClips = new Set<string>();
  /** Results that name the seq of an op this apply stores, filled in once it is known. */
  private readonly pending: { index: number; opId: string; stored: boolean }[] = [];

  constructor(
    private readonly held: Map<string, HeldOp>,
    private readonly taken: Map<string, string>,
    readonly current: Map<string, { batchId: string; clipId: string; revision: number; opId: string }>,
    private readonly withdrawn: ReadonlySet<string>,
  ) {}

  add(kind: OpKind, account: string, op: IncomingOp, now: number): void {
    const payload = canonicalJson(op.payload);
    const hash = createHash('sha256').update(payload).digest();
    const existing = this.held.get(op.opId);
    if (existing) {
      if (existing.kind === kind && existing.account === account && existing.hash.equals(hash)) {
        if (existing.seq === null) {
          this.pending.push({ index: this.results.length, opId: op.opId, stored: false });
          this.results.push(null);
        } else {
          this.results.push(this.duplicate(op.opId, existing.seq, existing.receivedAt));
        }
        return;
      }
      this.results.push({
        opId: op.opId,
        outcome: 'conflict',
        code: 'conflict',
        status: outcomeStatus.conflict,
        message: 'This op id was stored before with a different payload; nothing was changed.',
      });
      return;
    }
    if (op.refusal) {
      this.results.push(refused(op.opId, op.refusal.code, op.refusal.message));
      return;
    }
    const of = op.revision ?? fieldsOf(op.payload);
    const erasable = kind === 'annotation' || kind === 'escalation';
    if (erasable && of.batchId !== null && of.clipId !== null && this.withdrawn.has(clipKey(of.batchId, of.clipId))) {
      // The words the service answers when it knew of the withdrawal before (service/routes/op.routes.ts).
      this.results.push(
        refused(
          op.opId,
          'withdrawn',
          `Consent for clip "${of.clipId}" was withdrawn: the service keeps nothing of it.`,
        ),
      );
      return;
    }
    const refusal = this.baseRefusal(op);
    if (refusal) {
      this.results.push(refusal);
      return;
    }
    this.held.set(op.opId, { kind, account, hash, seq: null, receivedAt: now });
    this.toStore.push({ op, hash, payload, fields: fieldsOf(op.payload) });
    const r = op.revision;
    if (r) {
      this.taken.set(revisionKey(r.batchId, r.clipId, r.revision), op.opId);
      this.revisions.push({ opId: op.opId, batchId: r.batchId, clipId: r.clipId, revision: r.revision });
      const key = clipKey(r.batchId, r.clipId);
      const cur = this.current.get(key);
      if (!cur || r.revision > cur.revision) {
        this.current.set(key, { batchId: r.batchId, clipId: r.clipId, revision: r.revision, opId: op.opId });
        this.movedClips.add(key);
      }
    }
    this.pending.push({ index: this.results.length, opId: op.opId, stored: true });
    this.results.push(null);
  }

  /** Fills in the results that waited for the seqs of the ops stored. */
  finish(seqs: ReadonlyMap<string, number>, now: number): OpResult[] {
    for (const { index, opId, stored } of this.pending) {
      const seq = seqs.get(opId);
      if (seq === undefined) {
        throw new Error(`PostgreSQL store: op ${opId} was stored without a seq.`);
      }
      this.results[index] = stored
        ? {
            opId,
            outcome: 'stored',
            code: 'stored',
            status: outcomeStatus.stored,
            result: { serverSeq: seq, receivedAt: now },
          }
        : this.duplicate(opId, seq, now);
    }
    return this.results.map((r) => {
      if (r === null) {
        throw new Error('PostgreSQL store: an op was left without a result.');
      }
      return r;
    });
  }

  private duplicate(opId: string, seq: number, receivedAt: number): OpResult {
    return {
      opId,
      outcome: 'duplicate',
      code: 'duplicate',
      status: outcomeStatus.duplicate,
      result: { serverSeq: seq, receivedAt },
    };
  }

  /** One writer per clip: an annotation is stored only on top of the clip's current revision. */
  private baseRefusal(op: IncomingOp): OpResult | null {
    const r = op.revision;
    if (!r) {
      return null;
    }
    const row = this.current.get(clipKey(r.batchId, r.clipId));
    const current = { revision: row?.revision ?? 0, opId: row?.opId ?? null };
    if (r.baseRevision > 0 && this.taken.get(revisionKey(r.batchId, r.clipId, r.baseRevision)) !== r.baseOpId) {
      return refused(
        op.opId,
        'base_missing',
        `The service holds no revision ${r.baseRevision} of clip "${r.clipId}" by the op this one amends.`,
        current,
      );
    }
    if (current.revision !== r.baseRevision) {
      return refused(
        op.opId,
        'base_stale',
        `Clip "${r.clipId}" is at revision ${current.revision}, not ${r.baseRevision}: resend on top of it.`,
        current,
      );
    }
    if (this.taken.has(revisionKey(r.batchId, r.clipId, r.revision))) {
      return refused(
        op.opId,
        'revision_taken',
        `Revision ${r.revision} of clip "${r.clipId}" was stored under another op id.`,
        current,
      );
    }
    return null;
  }
}
