/**
 * How an apply of ops turns out, worked out in memory from what the store held when the apply
 * began (read under the ops lock): op by op in request order, each seeing the ops before it in
 * the same request, exactly as the SQLite store stores one op at a time.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/sync/canonical-json';
import type { OpResult } from '../../../shared/sync/messages';
import type { OpKind } from '../../../shared/sync/protocol';
import {
  baseRefusal,
  conflictResult,
  duplicateResult,
  refusedResult,
  storedResult,
  type RevisionLookup,
} from '../op-results';
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

/** Works out each op's result in request order, as SQLite does storing one op at a time. */
export class ApplyPlan {
  readonly results: (OpResult | null)[] = [];
  readonly toStore: ToStore[] = [];
  /** Revisions stored by this apply, and the clips whose current row it moves. */
  readonly revisions: { opId: string; batchId: string; clipId: string; revision: number }[] = [];
  readonly movedClips = new Set<string>();
  /** Results that name the seq of an op this apply stores, filled in once it is known. */
  private readonly pending: { index: number; opId: string; stored: boolean }[] = [];
  /** The base check reads what the store held and what this apply has stored before each op. */
  private readonly lookup: RevisionLookup = {
    current: (batchId, clipId) => this.current.get(clipKey(batchId, clipId)),
    opOfRevision: (batchId, clipId, revision) => this.taken.get(revisionKey(batchId, clipId, revision)),
  };

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
          this.results.push(duplicateResult(op.opId, existing.seq, existing.receivedAt));
        }
        return;
      }
      this.results.push(conflictResult(op.opId));
      return;
    }
    if (op.refusal) {
      this.results.push(refusedResult(op.opId, op.refusal.code, op.refusal.message));
      return;
    }
    const of = op.revision ?? fieldsOf(op.payload);
    const erasable = kind === 'annotation' || kind === 'escalation';
    if (erasable && of.batchId !== null && of.clipId !== null && this.withdrawn.has(clipKey(of.batchId, of.clipId))) {
      // The words the service answers when it knew of the withdrawal before (service/routes/op.routes.ts).
      this.results.push(
        refusedResult(
          op.opId,
          'withdrawn',
          `Consent for clip "${of.clipId}" was withdrawn: the service keeps nothing of it.`,
        ),
      );
      return;
    }
    const refusal = baseRefusal(op, this.lookup);
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
      this.results[index] = stored ? storedResult(opId, seq, now) : duplicateResult(opId, seq, now);
    }
    return this.results.map((r) => {
      if (r === null) {
        throw new Error('PostgreSQL store: an op was left without a result.');
      }
      return r;
    });
  }
}
