/**
 * Offline stations: batch packages imported from a folder (carried in on removable media), and
 * the outbox exported as a results package encrypted for the service and signed by this
 * device. Exporting changes nothing in the outbox: if the station later syncs online, the
 * service recognises every op it already imported and the sender simply acknowledges them.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { FolderImportReport, RefusedPackage, ResultsExportReport } from '../../../shared/domain/sync';
import { appError } from '../../../shared/result';
import type { ResultsOp } from '../../../shared/sync/results-package';
import { publicKeyFromRaw } from '../../../core/crypto/device-key';
import { deriveSigningKey } from '../../../core/crypto/signing-key';
import type { OutboxRepository } from '../../db/repositories/outbox.repository';
import type { SyncBatchRepository } from '../../db/repositories/sync-batch.repository';
import { writeResultsPackage } from '../../../core/package/results-package';
import { ownedBy } from '../own-batches';
import { ServiceError } from '../service-error';
import type { VaultService } from '../vault.service';
import { build, type DrainDeps } from './outbox-sender';
import { requireAssigned, type AssignmentRule } from './package-assignment';
import { toTimingRecord, type TimingUploadSource } from './timing-records';

export type { FolderImportReport };

export type PackageImportDeps = {
  readonly vault: Pick<VaultService, 'importInBackground'>;
  readonly syncBatches: SyncBatchRepository;
  readonly imported: (batchId: string) => void;
  /** Whose batches are taken; `{ kind: 'open' }` without a service. */
  readonly rule: AssignmentRule;
  /** The signed-in reviewer the batches are imported for; null when nobody is signed in. */
  readonly owner: string | null;
};

/** The `*.earmark` packages directly in `folder` (not its subfolders), by name. */
export function packagesIn(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder)
      .filter((n) => n.toLowerCase().endsWith('.earmark'))
      .sort();
  } catch {
    throw new ServiceError('NOT_FOUND', 'The folder cannot be read.');
  }
  return names.map((n) => join(folder, n)).filter((file) => statSync(file).isFile());
}

/**
 * A batch this workstation holds, active, for another reviewer (a shared workstation) stays theirs: a
 * package of it is refused, saying so, rather than as a batch already here that this reviewer
 * cannot see. Once the service assigns it to this reviewer, an online sync moves it to them.
 */
function requireNotHeldForAnother(d: PackageImportDeps, batchId: string): void {
  if (!ownedBy(d.syncBatches.activeOwnerOf(batchId), d.owner)) {
    throw new ServiceError(
      'PACKAGE_REFUSED',
      `Batch "${batchId}" is held on this workstation for another reviewer. If it is now yours, sync while online: it then moves to you.`,
      { reason: 'held_for_another_reviewer', batchId },
    );
  }
}

/**
 * Imports each package file on its own, in the import worker, and says per file what became of
 * it. Each batch is registered as the service's, so its work is sent once there is a service.
 */
export async function importPackages(d: PackageImportDeps, files: readonly string[]): Promise<FolderImportReport> {
  const imported: string[] = [];
  const refused: RefusedPackage[] = [];
  for (const file of files) {
    try {
      const { batchId } = await d.vault.importInBackground(file, {
        accept: ({ batchId: id, assignedTo }) => {
          requireAssigned(d.rule, id, assignedTo);
          requireNotHeldForAnother(d, id);
        },
      });
      d.syncBatches.register(batchId, 'offline', d.owner);
      d.imported(batchId);
      imported.push(batchId);
    } catch (error) {
      refused.push({
        file: basename(file),
        reason: error instanceof Error ? error.message : 'unreadable',
        error: error instanceof ServiceError ? error.toAppError() : appError('INTERNAL', 'The package cannot be read.'),
      });
    }
  }
  return { imported, refused };
}

export type ExportDeps = Pick<DrainDeps, 'annotations'> & {
  readonly outbox: OutboxRepository;
  readonly vault: Pick<VaultService, 'deviceKey'>;
  readonly timing?: TimingUploadSource | undefined;
  /** The service's X25519 key, as learned at sign-in. */
  readonly serviceKey: { readonly keyId: string; readonly encryptionKey: string } | null;
  readonly now: number;
};

/** Writes everything `author` has not had acknowledged to `file`; returns how many ops it holds. */
export function exportResults(d: ExportDeps, author: string, file: string): ResultsExportReport {
  if (!d.serviceKey) {
    throw new ServiceError(
      'UNAVAILABLE',
      'This workstation does not know the service key yet: sign in once while online, then export.',
    );
  }
  const ops: ResultsOp[] = [];
  for (const row of d.outbox.pending(author, Number.MAX_SAFE_INTEGER)) {
    const built = build(d, row);
    if (built.op) {
      ops.push({ kind: row.kind, op: built.op } as ResultsOp);
    }
  }
  const timing = d.timing
    ? d.timing.pendingUpload(1_000_000, author).map((r) => toTimingRecord(d.vault.deviceKey().keyId, r))
    : [];
  if (ops.length === 0 && timing.length === 0) {
    throw new ServiceError('NOT_FOUND', 'Nothing is waiting to be sent: there is nothing to export.');
  }
  const device = d.vault.deviceKey();
  writeResultsPackage(file, {
    deviceKeyId: device.keyId,
    signing: deriveSigningKey(device),
    author,
    service: publicKeyFromRaw(Buffer.from(d.serviceKey.encryptionKey, 'base64')),
    now: d.now,
    body: { ops, timing },
  });
  return { ops: ops.length, timing: timing.length };
}

/** Where an offline station's packages come from and go to: the shell asks with native dialogs. */
export type SyncDialogs = {
  chooseFolder(): Promise<string | null>;
  /** A batch package file (where the platform's dialog allows it, a folder of them too). */
  choosePackage(): Promise<string | null>;
  chooseResultsFile(defaultName: string): Promise<string | null>;
  /** Where to save the device public key, for an operator to pack batches for this workstation. */
  choosePublicKeyFile(defaultName: string): Promise<string | null>;
};
