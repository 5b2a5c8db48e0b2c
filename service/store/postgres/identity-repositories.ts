/** The identity half of the PostgreSQL store: accounts, sessions, devices, sign-ins, teams, audit, keys. */
import type { Repositories } from '../repositories';
import type { PgDb } from './db';
import { notBuilt } from './not-built';

export type IdentityRepositories = Pick<
  Repositories,
  'accounts' | 'sessions' | 'devices' | 'enrolmentCodes' | 'signIns' | 'serviceKeys' | 'audit' | 'teams'
>;

export function pgIdentityRepositories(db: PgDb): IdentityRepositories {
  void db;
  return {
    accounts: notBuilt('accounts'),
    sessions: notBuilt('sessions'),
    devices: notBuilt('devices'),
    enrolmentCodes: notBuilt('enrolmentCodes'),
    signIns: notBuilt('signIns'),
    serviceKeys: notBuilt('serviceKeys'),
    audit: notBuilt('audit'),
    teams: notBuilt('teams'),
  };
}
