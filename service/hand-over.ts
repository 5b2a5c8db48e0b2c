/**
 * One writer per batch: a batch is checked out to one device of its account at a time, and moves
 * to another only by an explicit hand-over. The holding device hands it over itself once its work
 * is drained (`POST /v1/batches/{id}/release`); an operator forces it from the admin CLI (`admin
 * batches hand-over`), which surrenders whatever that device has not synced: its later
 * annotations for the batch are refused as `handed_over`. Each hand-over, and each refusal of
 * one, is in the audit trail.
 */
import { appendAudit } from './audit';
import type { Core } from './core';
import { HttpError } from './http';
import type { CheckoutRow, ReleaseKind, Repositories } from './store/repositories';

export type HandOver = {
  readonly batchId: string;
  readonly kind: ReleaseKind;
  /** Who acts: the reviewer's account (their own device) or the operator's. */
  readonly actor: string;
  /** Where from: the peer address, or `cli`. */
  readonly source: string;
  /** For a device's own hand-over: its key, which must hold the batch. */
  readonly keyId?: string;
};

const ACTIONS: { readonly [K in ReleaseKind]: string } = {
  handed_over: 'batch.release',
  forced: 'admin.batches.hand_over',
};

/**
 * Ends the holder's checkout, audited in the same unit of work. Refused (and the refusal audited
 * here) when nobody holds the batch, or, for a device's own hand-over, when another device does.
 */
export async function handOver(core: Core, h: HandOver): Promise<CheckoutRow> {
  const at = core.now();
  const event = { at, actor: h.actor, source: h.source, action: ACTIONS[h.kind], subject: h.batchId };
  try {
    return await core.store.transaction(async (tx) => {
      const holder = await tx.checkouts.holder(h.batchId);
      if (!holder) {
        throw new HttpError(409, 'conflict', `Batch "${h.batchId}" is not checked out to any device.`);
      }
      if (h.keyId !== undefined && holder.keyId !== h.keyId) {
        throw new HttpError(409, 'checked_out_elsewhere', `Batch "${h.batchId}" is checked out to another device.`);
      }
      const ended = await tx.checkouts.release(h.batchId, {
        at,
        kind: h.kind,
        by: h.actor,
        ...(h.keyId !== undefined ? { keyId: h.keyId } : {}),
      });
      if (!ended) {
        throw new HttpError(409, 'conflict', `Batch "${h.batchId}" is not checked out to any device.`);
      }
      await appendAudit(tx, { ...event, detail: { account: ended.account, keyId: ended.keyId, kind: h.kind } });
      return ended;
    });
  } catch (error) {
    if (error instanceof HttpError) {
      await appendAudit(core.store, { ...event, outcome: 'refused', code: error.code, detail: { kind: h.kind } });
      throw new HttpError(error.status, error.code, error.message, error.headers, true);
    }
    throw error;
  }
}

/**
 * Refuses a checkout while another device holds the batch. A free batch may be checked out by
 * any approved device of the account, including one that handed it over before: the checkout
 * makes it the holder anew.
 */
export async function requireFreeOrHeldBy(repos: Repositories, batchId: string, keyId: string): Promise<void> {
  const holder = await repos.checkouts.holder(batchId);
  if (holder && holder.keyId !== keyId) {
    throw new HttpError(
      409,
      'checked_out_elsewhere',
      `Batch "${batchId}" is checked out to another device of this account: hand it over there first, or ask an operator to move it.`,
    );
  }
}
