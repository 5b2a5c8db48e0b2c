/**
 * Offline stations as a service of their own: batch packages imported from a folder (carried in
 * on removable media), and the outbox exported as a results package for the service. The work
 * itself is in sync/offline.ts; this adds the native dialogs and the audit trail.
 */
import type { FolderImportReport, ResultsExportReport } from '../../shared/domain/sync';
import type { AuditEventType } from '../../shared/sync/messages';
import type { SyncBatchRepository } from '../db/repositories/sync-batch.repository';
import { ServiceError } from './service-error';
import { exportResults, importFolder, type ExportDeps, type SyncDialogs } from './sync/offline';
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
  readonly audit: (type: AuditEventType, batchId?: string | null) => void;
  readonly changed: () => void;
};

/**
 * The offline station: folder imports and results exports, beside the sync service and on the
 * same handler table (`sync:importFolder`, `sync:exportResults`). It records what it did in the
 * reviewer's audit trail and tells the sync status to move, through the callbacks it is given.
 */
export function createOfflineStationService(d: OfflineStationDeps) {
  const dialogs = (): SyncDialogs => {
    if (!d.dialogs) {
      throw new ServiceError('UNAVAILABLE', 'Choosing files is not available here.');
    }
    return d.dialogs;
  };
  const importFolderAt = async (folder: string): Promise<FolderImportReport> => {
    const report = await importFolder(
      { vault: d.vault, syncBatches: d.syncBatches, imported: (batchId) => d.audit('batch_imported_offline', batchId) },
      folder,
    );
    d.changed();
    return report;
  };
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
    /** Imports every batch package in `folder` as the service's (an offline station's delivery). */
    importFolderAt,
    /** Writes the signed-in reviewer's unacknowledged work to `file` as a results package. */
    exportResultsTo,
    /** Asks for a folder, then imports it; null when the reviewer cancelled. */
    async importFolder(): Promise<FolderImportReport | null> {
      const folder = await dialogs().chooseFolder();
      return folder ? await importFolderAt(folder) : null;
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

export type OfflineStationService = ReturnType<typeof createOfflineStationService>;
