/**
 * Opens the workstation database, migrates it and hands out the repositories. This is the
 * only object services receive: they never see a raw connection.
 */
import { openConnection, type OpenOptions } from './connection';
import { createMetricsFlagsSeal } from './metrics-flags';
import { createTimingDetailSeal } from './timing-details';
import { assertSound } from './integrity';
import { migrate } from './migrate';
import { switchToIncrementalVacuum } from './vacuum';
import { createAnnotationRepository } from './repositories/annotation.repository';
import { createBatchRepository } from './repositories/batch.repository';
import { createConsentRepository } from './repositories/consent.repository';
import { createEscalationAnswerRepository } from './repositories/escalation-answer.repository';
import { createImportStagingRepository } from './repositories/import-staging.repository';
import { createOutboxRepository } from './repositories/outbox.repository';
import { createSettingsRepository } from './repositories/settings.repository';
import { createShiftRepository } from './repositories/shift.repository';
import { createSyncBatchRepository } from './repositories/sync-batch.repository';
import { createSyncMarkRepository } from './repositories/sync-mark.repository';
import { createTimingOutboxRepository } from './repositories/timing-outbox.repository';
import { createTimingRepository } from './repositories/timing.repository';
import { createVaultRepository } from './repositories/vault.repository';
import { createUnitOfWork } from './unit-of-work';

/**
 * Opens, checks and migrates the database. Throws DatabaseCorruptError (code SQLITE_CORRUPT) when
 * the file fails its quick check, and SQLite's own errors when it cannot be opened at all.
 */
export function openDatabase(file: string, options: OpenOptions = {}) {
  const db = openConnection(file, options);
  let applied: number[];
  try {
    // Before the migrations: nothing is written to a file that may not keep it.
    assertSound(db);
    applied = migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const metricsFlags = createMetricsFlagsSeal();
  const timingDetails = createTimingDetailSeal();
  return {
    /**
     * This open made the database: it was empty (first start, or the file was deleted), so
     * nothing in it was written before this start.
     */
    created: applied[0] === 1,
    annotations: createAnnotationRepository(db),
    batches: createBatchRepository(db),
    settings: createSettingsRepository(db),
    vault: createVaultRepository(db),
    /** Erasing single clips whose consent was withdrawn. */
    consent: createConsentRepository(db),
    /** Batches an import has staged but not yet made visible. */
    importStaging: createImportStagingRepository(db),
    shifts: createShiftRepository(db),
    timing: createTimingRepository(db, metricsFlags, timingDetails),
    timingOutbox: createTimingOutboxRepository(db, metricsFlags, timingDetails),
    /** Seals clip metrics flags; the services give it its key. */
    metricsFlags,
    /** Seals timing events' kinds and labels; the services give it the device keys. */
    timingDetails,
    outbox: createOutboxRepository(db),
    syncBatches: createSyncBatchRepository(db),
    /** What each service acknowledged, to notice one that lost ops. */
    syncMarks: createSyncMarkRepository(db),
    /** Supervisors' answers to escalations waiting for the service. */
    escalationAnswers: createEscalationAnswerRepository(db),
    /** A database made before incremental auto-vacuum is switched to it, once, with no batch active. */
    switchToIncrementalVacuum: () => switchToIncrementalVacuum(db),
    /** Writes through several repositories as one, and what waits for their commit. */
    unitOfWork: createUnitOfWork(db),
    close: (): void => {
      db.close();
    },
  };
}

export type AppDatabase = ReturnType<typeof openDatabase>;
