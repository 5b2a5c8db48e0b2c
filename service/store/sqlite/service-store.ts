/**
 * The reference service's store on SQLite (better-sqlite3): one connection, migrated on open,
 * with units of work as described in ./unit-of-work.
 */
import type { ServiceStore } from '../repositories';
import { sqliteAccountRepository, sqliteSessionRepository } from './account.repository';
import { sqliteAuditRepository } from './audit.repository';
import { sqliteCallerRepository } from './caller.repository';
import { sqliteBatchRepository } from './batch.repository';
import { openServiceDb } from './connection';
import { latestVersion, schemaVersion } from './migrate';
import { sqliteEscalationRepository } from './escalation.repository';
import { sqliteFaultRepository } from './fault.repository';
import { sqliteHearingRepository } from './hearing.repository';
import { sqliteCheckoutRepository, sqliteDeviceRepository } from './device.repository';
import { sqliteGoldRepository } from './gold.repository';
import { sqliteOpCheckRepository } from './op-check.repository';
import { sqliteOpRepository } from './op.repository';
import { sqliteServiceKeyRepository } from './service-key.repository';
import { sqliteEnrolmentCodeRepository, sqliteSignInRepository } from './sign-in.repository';
import { sqliteSyncStateRepository } from './sync-state.repository';
import { sqliteTeamRepository } from './team.repository';
import { sqliteTimingRepository } from './timing.repository';
import { sqliteUploadSlotRepository } from './upload-slot.repository';
import { Gate, gatedRepositories, runUnitOfWork, type SyncRepositories } from './unit-of-work';

/** Opens (creating and migrating) the store at `file`; ':memory:' gives a throwaway one. */
export function openSqliteServiceStore(file: string): ServiceStore {
  const db = openServiceDb(file);
  const accounts = sqliteAccountRepository(db);
  const sessions = sqliteSessionRepository(db);
  const devices = sqliteDeviceRepository(db);
  const batches = sqliteBatchRepository(db);
  const checkouts = sqliteCheckoutRepository(db);
  const sync: SyncRepositories = {
    accounts,
    sessions,
    callers: sqliteCallerRepository({ sessions, accounts, devices }),
    devices,
    batches,
    opChecks: sqliteOpCheckRepository(db),
    ops: sqliteOpRepository(db),
    timing: sqliteTimingRepository(db),
    teams: sqliteTeamRepository(db),
    escalations: sqliteEscalationRepository(db),
    serviceKeys: sqliteServiceKeyRepository(db),
    audit: sqliteAuditRepository(db),
    checkouts,
    enrolmentCodes: sqliteEnrolmentCodeRepository(db),
    signIns: sqliteSignInRepository(db),
    syncState: sqliteSyncStateRepository(db),
    gold: sqliteGoldRepository(db),
    hearings: sqliteHearingRepository(db),
    faults: sqliteFaultRepository(db),
    uploadSlots: sqliteUploadSlotRepository(db),
  };
  const gate = new Gate();
  return {
    ...gatedRepositories(sync, gate),
    transaction: (work) => runUnitOfWork(db, sync, gate, work),
    async checkpoint() {
      await gate.acquire();
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        gate.release();
      }
    },
    async readiness() {
      await gate.acquire();
      try {
        const schema = schemaVersion(db);
        const expected = latestVersion();
        return { ok: schema === expected, schema, expected };
      } finally {
        gate.release();
      }
    },
    async close() {
      await gate.acquire();
      try {
        db.close();
      } finally {
        gate.release();
      }
    },
  };
}
