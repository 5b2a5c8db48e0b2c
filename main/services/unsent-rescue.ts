/**
 * The reviewer's unsent work out of a damaged database. When the start-up check finds the file
 * damaged the app opens nothing and writes nothing to it; in service mode this reads what it
 * still can of the outbox, read-only, and writes each reviewer's unacknowledged ops (and that
 * reviewer's unsent timing rows) as a results package: encrypted for the service and signed by
 * this device, exactly as an offline station's export (sync/offline.ts), so only the service
 * opens it and it imports through the same permanent dedupe. Uploading needs a session, which a
 * restart does not have, so the package goes to the service through the offline station's
 * upload (the reviewer's own sign-in or an operator's desk).
 *
 * Reading a damaged file is best effort: an op whose rows cannot be read or do not authenticate
 * is counted, not guessed at. Opening the sealed rows needs the device key, which the package
 * never carries out: whoever holds the file can read none of it.
 */
import { join } from 'node:path';
import type { Annotation, EscalationRequest } from '../../shared/domain/annotation';
import { deriveLocalKey, type DeviceKey } from '../../core/crypto/device-key';
import { openDamagedDatabase, OtherSchemaError, type DamagedDatabase } from '../db/damaged-database';
import type { TimingUpload } from '../db/repositories/timing-outbox.repository';
import { openRevision } from './annotation-seal';
import { openEscalation } from './escalation-seal';
import { ServiceError } from './service-error';
import { exportResults } from './sync/offline';
import { SERVICE_KEY } from './sync/sync-session';

/** A timing row that belongs to no shift, and so to no one reviewer more than another. */
const ofNoShift = (r: TimingUpload): boolean =>
  (r.kind === 'event' && r.event.shiftId === null) || (r.kind === 'clip' && r.metrics.shiftId === null);

/**
 * One reviewer's package, or null when nothing of theirs could be read after all (their rows
 * unreadable): the other reviewers' packages are still written.
 */
function exportOrSkip<T>(write: () => T): T | null {
  try {
    return write();
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'NOT_FOUND') {
      return null;
    }
    throw error;
  }
}

export type RescueDeps = {
  /** The damaged database file. */
  readonly dbFile: string;
  /** The device key, from the key store (never from the damaged file). */
  readonly deviceKey: () => DeviceKey;
  readonly now: number;
  readonly nativeBinding?: string | undefined;
};

/** What was written: one package per reviewer with unsent work, and the ops that could not be read. */
export type RescueReport = {
  readonly packages: readonly { readonly author: string; readonly file: string; readonly ops: number }[];
  readonly unreadable: number;
};

function openDamaged(d: Pick<RescueDeps, 'dbFile' | 'nativeBinding'>): { db: DamagedDatabase; authors: string[] } {
  let db: DamagedDatabase;
  try {
    db = openDamagedDatabase(d.dbFile, { nativeBinding: d.nativeBinding });
  } catch (error) {
    throw error instanceof OtherSchemaError ? new ServiceError('UNAVAILABLE', error.message) : error;
  }
  try {
    const authors = db.pendingAuthors();
    let timed: string[] = [];
    try {
      timed = db.timingAuthors();
    } catch {
      // A damaged timing table leaves its rows out; the ops still go.
    }
    return { db, authors: [...new Set([...authors, ...timed])].sort() };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** How many reviewers have unsent work in the damaged file; 0 when none can be read. */
export function unsentAuthors(d: Pick<RescueDeps, 'dbFile' | 'nativeBinding'>): number {
  try {
    const { db, authors } = openDamaged(d);
    db.close();
    return authors.length;
  } catch {
    return 0;
  }
}

/** Writes each reviewer's unsent work into `folder`; see the module note. */
export function rescueUnsent(d: RescueDeps, folder: string): RescueReport {
  const { db, authors } = openDamaged(d);
  try {
    if (authors.length === 0) {
      throw new ServiceError('NOT_FOUND', 'No unsent work can be read from the damaged database.');
    }
    const device = d.deviceKey();
    const key = deriveLocalKey(device, 'annotations');
    const annotationRows = db.annotations;
    let unreadable = 0;
    // An op that cannot be read or opened is left out and counted.
    const attempt = <T>(read: () => T | undefined): T | undefined => {
      try {
        return read();
      } catch {
        unreadable += 1;
        return undefined;
      }
    };
    const annotations = {
      revisionByOpId: (opId: string): Annotation | undefined =>
        attempt(() => {
          const row = annotationRows.byOpId(opId);
          return row
            ? {
                batchId: row.batchId,
                clipId: row.clipId,
                revision: row.revision,
                opId: row.opId,
                submittedAt: row.submittedAt,
                ...openRevision(key, row.batchId, row),
              }
            : undefined;
        }),
      escalationById: (id: string): (EscalationRequest & { readonly createdAt: number }) | undefined =>
        attempt(() => {
          const row = annotationRows.escalation(id);
          if (!row) {
            return undefined;
          }
          const { note, category, clipId } = openEscalation(key, row);
          return { batchId: row.batchId, clipId, category, note, createdAt: row.createdAt };
        }),
    };
    db.metricsFlags.useKey(() => deriveLocalKey(device, 'clip-metrics'));
    db.timingDetails.useKeys({ publicKey: () => device.publicKey, deviceKey: () => device });
    const serviceKey = db.settings.get(SERVICE_KEY) ?? null;
    const stamp = new Date(d.now).toISOString().slice(0, 19).replace(/[:T]/g, '-');
    const packages = authors.flatMap((author, i) => {
      const file = join(folder, `earmark-unsent-${author}-${stamp}.earmark-results`);
      const report = exportOrSkip(() =>
        exportResults(
          {
            annotations,
            outbox: db.outbox,
            vault: { deviceKey: () => device },
            // Each reviewer's timing rows go with their own work, as the service files them under
            // the package's author; rows of no shift go once, with the first reviewer's.
            timing: {
              pendingUpload: (limit) =>
                (attempt(() => db.timingOutbox.pending(limit, author)) ?? []).filter((r) => i === 0 || !ofNoShift(r)),
              markUploaded: () => 0,
            },
            serviceKey,
            now: d.now,
          },
          author,
          file,
        ),
      );
      return report ? [{ author, file, ops: report.ops }] : [];
    });
    if (packages.length === 0) {
      throw new ServiceError('NOT_FOUND', 'No unsent work can be read from the damaged database.');
    }
    return { packages, unreadable };
  } finally {
    db.close();
  }
}
