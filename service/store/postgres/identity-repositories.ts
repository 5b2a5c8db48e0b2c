/**
 * The identity half of the PostgreSQL store: accounts, sessions, devices, sign-ins, teams, audit,
 * keys, faults and upload slots.
 */
import type { Repositories } from '../repositories';
import { pgAccountRepository, pgSessionRepository } from './account.repository';
import { pgAuditRepository } from './audit.repository';
import { pgCallerRepository } from './caller.repository';
import type { PgDb } from './db';
import { pgDeviceRepository } from './device.repository';
import { pgFaultRepository } from './fault.repository';
import { pgServiceKeyRepository } from './service-key.repository';
import { pgEnrolmentCodeRepository, pgSignInRepository } from './sign-in.repository';
import { pgTeamRepository } from './team.repository';
import { pgUploadSlotRepository } from './upload-slot.repository';

export type IdentityRepositories = Pick<
  Repositories,
  | 'accounts'
  | 'sessions'
  | 'callers'
  | 'devices'
  | 'enrolmentCodes'
  | 'signIns'
  | 'serviceKeys'
  | 'audit'
  | 'teams'
  | 'faults'
  | 'uploadSlots'
>;

export function pgIdentityRepositories(db: PgDb): IdentityRepositories {
  return {
    accounts: pgAccountRepository(db),
    sessions: pgSessionRepository(db),
    callers: pgCallerRepository(db),
    devices: pgDeviceRepository(db),
    enrolmentCodes: pgEnrolmentCodeRepository(db),
    signIns: pgSignInRepository(db),
    serviceKeys: pgServiceKeyRepository(db),
    audit: pgAuditRepository(db),
    teams: pgTeamRepository(db),
    faults: pgFaultRepository(db),
    uploadSlots: pgUploadSlotRepository(db),
  };
}
