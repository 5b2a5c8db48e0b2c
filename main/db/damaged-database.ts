/**
 * A damaged database opened read-only, to read what it still can of the reviewer's unsent work
 * (main/services/unsent-rescue.ts): nothing is migrated, checked or written, and only a file of
 * this build's schema is opened, since the repositories' SQL is written for it.
 */
import Database from 'better-sqlite3';
import { latestVersion } from './migrate';
import { createMetricsFlagsSeal } from './metrics-flags';
import { createAnnotationRepository } from './repositories/annotation.repository';
import { createOutboxRepository } from './repositories/outbox.repository';
import { createSettingsRepository } from './repositories/settings.repository';
import { createTimingOutboxRepository } from './repositories/timing-outbox.repository';
import { createTimingDetailSeal } from './timing-details';

/** The file is of another schema version than this build's. */
export class OtherSchemaError extends Error {
  override readonly name = 'OtherSchemaError';
}

/** Opens `file` read-only; throws OtherSchemaError, or SQLite's error when it cannot be read at all. */
export function openDamagedDatabase(file: string, options: { readonly nativeBinding?: string | undefined } = {}) {
  const db = new Database(file, {
    readonly: true,
    fileMustExist: true,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    if (db.pragma('user_version', { simple: true }) !== latestVersion()) {
      throw new OtherSchemaError('The damaged database is of another version: its work cannot be read here.');
    }
  } catch (error) {
    db.close();
    throw error;
  }
  const metricsFlags = createMetricsFlagsSeal();
  const timingDetails = createTimingDetailSeal();
  const pendingAuthors = db.prepare<[], { author: string }>(
    "SELECT DISTINCT author FROM outbox WHERE state = 'pending' ORDER BY author",
  );
  // Read apart from the outbox: a damaged timing table must not hide the ops.
  const timingAuthors = db.prepare<[], { author: string }>(
    `SELECT pseudonym AS author FROM shifts WHERE synced = 0 OR id IN (
       SELECT shift_id FROM breaks WHERE synced = 0
       UNION SELECT shift_id FROM timing_events WHERE synced = 0
       UNION SELECT shift_id FROM clip_metrics WHERE synced = 0)
     ORDER BY 1`,
  );
  return {
    /** The reviewers with ops not yet acknowledged. */
    pendingAuthors: (): string[] => pendingAuthors.all().map((r) => r.author),
    /** The reviewers with timing rows not yet sent: a shift, or a break, event or clip's figures of one. */
    timingAuthors: (): string[] => timingAuthors.all().map((r) => r.author),
    annotations: createAnnotationRepository(db),
    outbox: createOutboxRepository(db),
    settings: createSettingsRepository(db),
    timingOutbox: createTimingOutboxRepository(db, metricsFlags, timingDetails),
    /** Seals the services give their keys, as on an open database. */
    metricsFlags,
    timingDetails,
    close: (): void => {
      db.close();
    },
  };
}

export type DamagedDatabase = ReturnType<typeof openDamagedDatabase>;
