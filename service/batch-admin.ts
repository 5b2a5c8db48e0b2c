/**
 * Batches made and moved by an operator: a new batch from a folder of audio and a clip list (the
 * TSV `npm run batch -- pack` reads, checked the same way), its reviewer, its expiry and its
 * revocation. Each act commits with its audit row in one unit of work, and each refusal is audited
 * too; a batch refused for any reason leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ClipListError, parseClipsTsv } from '../core/package/clips-tsv';
import { inertText } from '../core/package/inert-text';
import { readClipsFromFolder } from '../core/package/pack-from-folder';
import { idProblem, newId } from '../shared/batch-package/pseudonymous-ids';
import { appendAudit } from './audit';
import type { Core } from './core';
import type { Actor } from './devices';
import { HttpError } from './http';
import { batchIntakeProblem } from './seed';
import type { AccountRow, Repositories, ServiceBatch, ServiceClip } from './store/repositories';

export type BatchIntake = {
  /** The folder the clip list's `file` column is relative to. */
  readonly audioDir: string;
  /** The clip list (TSV), as `npm run batch -- pack --clips` takes it. */
  readonly clipsFile: string;
  /** The account (a reviewer or supervisor) the batch is assigned to. */
  readonly assignedTo: string;
  readonly expiresAt: number;
  /** A batch id made with `newId`; a fresh one when absent. */
  readonly batchId?: string;
};

export type BatchIntakeResult = { readonly batchId: string; readonly clips: number; readonly withdrawn: number };

/**
 * Runs `act`, auditing a refusal (an {@link HttpError}) under `action` before passing it on,
 * marked as audited. The act audits its success itself, in its own unit of work.
 */
async function audited<T>(
  core: Core,
  actor: Actor,
  action: string,
  subject: string | null,
  act: () => Promise<T>,
): Promise<T> {
  try {
    return await act();
  } catch (error) {
    if (error instanceof HttpError && !error.audited) {
      await appendAudit(core.store, {
        at: core.now(),
        actor: actor.operator,
        source: actor.source,
        action,
        subject,
        outcome: 'refused',
        code: error.code,
      });
      throw new HttpError(error.status, error.code, error.message, error.headers, true);
    }
    throw error;
  }
}

/** The clips of the list, each problem named by file and line; refused as a whole on any. */
function readIntakeClips(audioDir: string, clipsFile: string): { clips: ServiceClip[]; locale: string } {
  let text: string;
  try {
    text = readFileSync(clipsFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HttpError(
      400,
      'bad_request',
      `Cannot read the clip list "${inertText(clipsFile)}"${code === 'ENOENT' ? ': no such file' : ` (${code ?? 'error'})`}.`,
    );
  }
  try {
    const list = parseClipsTsv(text);
    // parseClipsTsv refuses a list with no clips, or with more than one locale.
    return { clips: readClipsFromFolder(audioDir, list), locale: list.rows[0]?.locale ?? 'en-US' };
  } catch (error) {
    if (error instanceof ClipListError) {
      const where = inertText(clipsFile);
      throw new HttpError(400, 'bad_request', error.problems.map((p) => `${where}: ${p}`).join('\n'));
    }
    throw error;
  }
}

/** The account a batch may be assigned to: an enabled reviewer or supervisor. */
async function assignee(tx: Repositories, account: string): Promise<AccountRow> {
  const row = await tx.accounts.find(account);
  if (!row || row.role === 'operator') {
    throw new HttpError(404, 'not_found', `No reviewer or supervisor account "${inertText(account)}".`);
  }
  if (row.disabledAt !== null) {
    throw new HttpError(409, 'conflict', `The account "${account}" is disabled.`);
  }
  return row;
}

/** Makes a batch from a folder of audio and a clip list, assigned to one account; nothing is stored on any problem. */
export function createBatchFromFolder(core: Core, actor: Actor, b: BatchIntake): Promise<BatchIntakeResult> {
  return audited(core, actor, 'admin.batches.create', b.batchId ?? null, async () => {
    const batchIdRefused = b.batchId === undefined ? undefined : idProblem('batch', b.batchId);
    if (batchIdRefused !== undefined) {
      throw new HttpError(400, 'bad_request', `The batch id is refused: ${batchIdRefused}.`);
    }
    const now = core.now();
    if (b.expiresAt <= now) {
      throw new HttpError(400, 'bad_request', 'The expiry must be in the future.');
    }
    const { clips, locale } = readIntakeClips(b.audioDir, b.clipsFile);
    const batchId = b.batchId ?? newId('batch', randomBytes);
    // The service's own intake check, as for any batch it takes in: ids and hints of the pseudonymous kind.
    const problem = batchIntakeProblem({ batchId, clips });
    if (problem !== undefined) {
      throw new HttpError(400, 'bad_request', `The batch is refused: ${problem}`);
    }
    const withdrawn = clips.filter((c) => c.audio === null).length;
    await core.store.transaction(async (tx) => {
      await assignee(tx, b.assignedTo);
      if (await tx.batches.find(batchId)) {
        throw new HttpError(409, 'conflict', `A batch "${batchId}" exists already.`);
      }
      await tx.batches.add({
        batchId,
        assignedTo: b.assignedTo,
        locale,
        createdAt: now,
        expiresAt: b.expiresAt,
        clips,
      });
      await appendAudit(tx, {
        at: now,
        actor: actor.operator,
        source: actor.source,
        action: 'admin.batches.create',
        subject: batchId,
        detail: { assignedTo: b.assignedTo, clips: clips.length, withdrawn, expiresAt: b.expiresAt },
      });
    });
    return { batchId, clips: clips.length, withdrawn };
  });
}

/** The batch, or a refusal naming it. */
async function existing(tx: Repositories, batchId: string): Promise<ServiceBatch> {
  const batch = await tx.batches.find(batchId);
  if (!batch) {
    throw new HttpError(404, 'not_found', `No batch "${inertText(batchId)}".`);
  }
  return batch;
}

/**
 * Assigns a batch to another account. Refused while a device holds it (hand it over first, so
 * the work on it is settled) and once it is revoked.
 */
export function assignBatch(core: Core, actor: Actor, batchId: string, account: string): Promise<ServiceBatch> {
  return audited(core, actor, 'admin.batches.assign', batchId, () =>
    core.store.transaction(async (tx) => {
      const batch = await existing(tx, batchId);
      if (batch.revokedAt !== null) {
        throw new HttpError(409, 'conflict', `Batch "${batchId}" is revoked.`);
      }
      await assignee(tx, account);
      const holder = await tx.checkouts.holder(batchId);
      if (holder) {
        throw new HttpError(
          409,
          'checked_out_elsewhere',
          `Batch "${batchId}" is checked out to a device of "${holder.account}": hand it over first (admin batches hand-over).`,
        );
      }
      await tx.batches.assign(batchId, account);
      await appendAudit(tx, {
        at: core.now(),
        actor: actor.operator,
        source: actor.source,
        action: 'admin.batches.assign',
        subject: batchId,
        detail: { from: batch.assignedTo, to: account },
      });
      return { ...batch, assignedTo: account };
    }),
  );
}

/** Moves a batch's expiry to a time in the future; refused once it is revoked. */
export function setBatchExpiry(core: Core, actor: Actor, batchId: string, expiresAt: number): Promise<ServiceBatch> {
  return audited(core, actor, 'admin.batches.set_expiry', batchId, () =>
    core.store.transaction(async (tx) => {
      const batch = await existing(tx, batchId);
      if (batch.revokedAt !== null) {
        throw new HttpError(409, 'conflict', `Batch "${batchId}" is revoked.`);
      }
      if (expiresAt <= core.now()) {
        throw new HttpError(400, 'bad_request', 'The expiry must be in the future; revoke a batch to end it now.');
      }
      await tx.batches.setExpiry(batchId, expiresAt);
      await appendAudit(tx, {
        at: core.now(),
        actor: actor.operator,
        source: actor.source,
        action: 'admin.batches.set_expiry',
        subject: batchId,
        detail: { from: batch.expiresAt, to: expiresAt },
      });
      return { ...batch, expiresAt };
    }),
  );
}

/** Revokes a batch: workstations erase it at their next sync. The first revocation time stays. */
export function revokeBatch(core: Core, actor: Actor, batchId: string): Promise<void> {
  return audited(core, actor, 'admin.batches.revoke', batchId, () =>
    core.store.transaction(async (tx) => {
      await existing(tx, batchId);
      await tx.batches.revoke(batchId, core.now());
      await appendAudit(tx, {
        at: core.now(),
        actor: actor.operator,
        source: actor.source,
        action: 'admin.batches.revoke',
        subject: batchId,
      });
    }),
  );
}
