import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../shared/settings/settings';
import { openDatabase, type AppDatabase } from '../../../main/db/database';
import { createEventHub } from '../../../main/services/event-hub';
import { testKeyStore } from '../../support/test-safe-storage';
import { createSessionService, type SessionService } from '../../../main/services/session.service';
import { createShiftService, type ShiftService } from '../../../main/services/shift.service';
import { makeTestClock, makeTrustedClock, type TestClock } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { SHIFT_LAPSE_MS } from '../../../shared/timing/shift-summary';

const START = Date.UTC(2025, 2, 3, 8, 0);

/** The shift service alone, following a session service over the same hub. */
describe('shifts follow sign-in and sign-out', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: AppDatabase;
  let clock: TestClock;
  let session: SessionService;
  let shifts: ShiftService;

  beforeEach(() => {
    tmp = makeTempDir('earmark-shift-session-');
    db = openDatabase(join(tmp.dir, 'earmark.db'));
    clock = makeTestClock(START);
    const events = createEventHub({ afterCommit: db.unitOfWork.afterCommit });
    session = createSessionService(db.settings, events, () => testKeyStore(tmp.dir).loadOrCreateDeviceKey());
    shifts = createShiftService({
      shifts: db.shifts,
      timing: db.timing,
      clock: makeTrustedClock(db, tmp.dir, clock),
      session: session.get,
      settings: () => defaultSettings,
      events,
    });
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('starts a shift when a reviewer signs in, whoever signs them in', () => {
    expect(shifts.current()).toBeNull();
    session.signIn({ pseudonym: 'rv-7', role: 'reviewer' });
    expect(shifts.current()).toMatchObject({ pseudonym: 'rv-7', startReason: 'sign_in', startedAt: START });
  });

  it('ends the shift at sign-out, and ends the one before when someone else signs in', () => {
    session.signIn({ pseudonym: 'rv-7', role: 'reviewer' });
    const first = shifts.current();
    clock.advance(60_000);
    session.signIn({ pseudonym: 'rv-8', role: 'reviewer' });
    expect(db.shifts.find(first?.id ?? '')).toMatchObject({ endReason: 'sign_out', endedAt: START + 60_000 });
    expect(shifts.current()).toMatchObject({ pseudonym: 'rv-8', startReason: 'sign_in' });
    session.signOut();
    expect(db.shifts.open()).toBeUndefined();
  });

  it('starts no shift when a supervisor signs in, and ends the reviewer’s shift before', () => {
    session.signIn({ pseudonym: 'rv-7', role: 'reviewer' });
    const first = shifts.current();
    clock.advance(60_000);
    session.signIn({ pseudonym: 'sv-1', role: 'supervisor' });
    expect(db.shifts.find(first?.id ?? '')).toMatchObject({ endReason: 'sign_out', endedAt: START + 60_000 });
    expect(db.shifts.open()).toBeUndefined();
    expect(shifts.current()).toBeNull();
  });

  it('ends a lapsed shift at its last activity when someone signs in, even the same reviewer', () => {
    session.signIn({ pseudonym: 'rv-7', role: 'reviewer' });
    const first = shifts.current();
    shifts.touch(first?.id ?? '', START + 30_000);
    clock.advance(SHIFT_LAPSE_MS + 60_000);
    session.signIn({ pseudonym: 'rv-7', role: 'reviewer' });
    expect(db.shifts.find(first?.id ?? '')).toMatchObject({ endReason: 'lapsed', endedAt: START + 30_000 });
    expect(shifts.current()?.id).not.toBe(first?.id);
  });
});
