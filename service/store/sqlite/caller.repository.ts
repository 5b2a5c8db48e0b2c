/**
 * The caller of an authenticated request in SQLite: the session, its account and the enrolment
 * of its device key, read through the other repositories on the one connection. Without a round
 * trip between them, three lookups cost no more than one statement would, and they run in the
 * same synchronous call, so nothing commits in between.
 */
import type { AccountRepository, CallerRepository, DeviceRepository, SessionRepository } from '../repositories';
import type { Sync } from './unit-of-work';

export function sqliteCallerRepository(r: {
  readonly sessions: Sync<SessionRepository>;
  readonly accounts: Sync<AccountRepository>;
  readonly devices: Sync<DeviceRepository>;
}): Sync<CallerRepository> {
  return {
    find(tokenHash) {
      const session = r.sessions.find(tokenHash);
      return session
        ? {
            session,
            account: r.accounts.find(session.account),
            deviceEnrolled: r.devices.find(session.account, session.keyId) !== undefined,
          }
        : undefined;
    },
  };
}
