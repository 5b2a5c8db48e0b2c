/**
 * Opens the workstation database, migrates it and hands out the repositories. This is the
 * only object services receive: they never see a raw connection.
 */
import { openConnection, type OpenOptions } from './connection';
import { migrate } from './migrate';
import { createAnnotationRepository } from './repositories/annotation.repository';
import { createBatchRepository } from './repositories/batch.repository';
import { createSettingsRepository } from './repositories/settings.repository';
import { createVaultRepository } from './repositories/vault.repository';

export function openDatabase(file: string, options: OpenOptions = {}) {
  const db = openConnection(file, options);
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    annotations: createAnnotationRepository(db),
    batches: createBatchRepository(db),
    settings: createSettingsRepository(db),
    vault: createVaultRepository(db),
    close: (): void => {
      db.close();
    },
  };
}

export type AppDatabase = ReturnType<typeof openDatabase>;
