/**
 * Offline stations as a service of their own: batch packages imported from a file or a folder
 * (carried in on removable media), and the outbox exported as a results package for the
 * service. The work itself is in sync/offline.ts; this adds the native dialogs, the rule of whose
 * batches are taken (sync/package-assignment.ts) and the audit trail.
 */
import { statSync } from 'node:fs';
import type { FolderImportReport, ResultsExportReport } from '../../shared/domain/sync';
import type { AuditEventType } from '../../shared/sync/messages';
import type { SyncBatchRepository } from '../db/repositories/sync-batch.repository';
import { ServiceError } from './service-error';
import { exportResults, importPackages, packagesIn, type ExportDeps, type SyncDialogs } from './sync/offline';
import { assignmentRule, type AssignmentSource } from './sync/package-assignment';
import type { VaultService } from './vault.service';

export type { SyncDialogs };

/** What the offline station needs; the sync service lends it the author, the audit trail and the status push. */
export type OfflineStationDeps = Omit<ExportDeps, 'serviceKey' | 'now'> & {
  readonly syncBatches: SyncBatchRepository;
  readonly vault: Pick<VaultService, 'importInBackground' | 'deviceKey'>;
  readonly dialogs: SyncDialogs | undefined;
  readonly serviceKey: () => ExportDeps['serviceKey'];
  readonly now: () => number;
  /** The signed-in reviewer's pseudonym, or null. */
  readonly author: () => string | null;
  /** Whether a service is configured, and its batch list for the reviewer (null while offline). */
  readonly service: Pick<AssignmentSource, 'configured' | 'listedBatches'>;
  readonly audit: (type: AuditEventType, batchId?: string | null) => void;
  readonly changed: () => void;
};

/**
 * The offline station: package imports (a file or a folder) and results exports, beside the sync
 * service and on the same handler table (`sync:importPackage`, `sync:importFolder`,
 * `sync:exportResults`). In service mode it takes only the reviewer's own batches: online as the
 * service lists them, offline as each package's sealed assignment says. It records what it did in
 * the reviewer's audit trail and tells the sync status to move, through the callbacks it is given.
 */
export function createOfflineStationService(d: OfflineStationDeps) {
  const dialogs = (): SyncDialogs => {
    if (!d.dialogs) {
      throw new ServiceError('UNAVAILABLE', 'Choosing files is not available here.');
    }
    return d.dialogs;
  };
  const importFiles = async (files: () => string[]): Promise<FolderImportReport> => {
    const rule = await assignmentRule({ ...d.service, author: d.author });
    const report = await importPackages(
      {
        vault: d.vault,
        syncBatches: d.syncBatches,
        rule,
        owner: d.author(),
        imported: (batchId) => d.audit('batch_imported_offline', batchId),
      },
      files(),
    );
    d.changed();
    return report;
  };
  /** A folder's packages, or the one package `path` names. */
  const importPathAt = (path: string): Promise<FolderImportReport> =>
    importFiles(() => (isFolder(path) ? packagesIn(path) : [path]));
  const exportResultsTo = (file: string): ResultsExportReport => {
    const who = d.author();
    if (!who) {
      throw new ServiceError(
        'UNAVAILABLE',
        'Sign in before exporting results: the package is signed for the reviewer.',
      );
    }
    d.audit('results_exported');
    return exportResults({ ...d, serviceKey: d.serviceKey(), now: d.now() }, who, file);
  };
  return {
    /** Imports every batch package in `folder` (an offline station's delivery). */
    importFolderAt: (folder: string): Promise<FolderImportReport> => importFiles(() => packagesIn(folder)),
    /** Imports the package file `path`, or every package in it when it is a folder. */
    importPathAt,
    /** Writes the signed-in reviewer's unacknowledged work to `file` as a results package. */
    exportResultsTo,
    /** Asks for a folder, then imports its packages; null when the reviewer cancelled. */
    async importFolder(): Promise<FolderImportReport | null> {
      const folder = await dialogs().chooseFolder();
      return folder ? await importFiles(() => packagesIn(folder)) : null;
    },
    /** Asks for a package file (or, where the dialog allows, a folder), then imports it; null when cancelled. */
    async importPackage(): Promise<FolderImportReport | null> {
      const path = await dialogs().choosePackage();
      return path ? await importPathAt(path) : null;
    },
    /** Asks where to save, then exports; null when the reviewer cancelled. */
    async exportResults(): Promise<ResultsExportReport | null> {
      const file = await dialogs().chooseResultsFile(
        `earmark-results-${new Date(d.now()).toISOString().slice(0, 10)}.earmark-results`,
      );
      return file ? exportResultsTo(file) : null;
    },
  };
}

/** Whether `path` is a folder; a path that cannot be read is taken as a file and refused as one. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export type OfflineStationService = ReturnType<typeof createOfflineStationService>;
