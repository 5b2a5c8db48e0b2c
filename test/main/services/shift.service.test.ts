import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SHIFT_LAPSE_MS } from '../../../shared/timing/shift-summary';
import { writeTestPackage } from '../../support/packages';
import { makeServices, makeTestClock, type ServicesEnv, type TestClock } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { fakeRenderer, type FakeRenderer } from '../../support/timing';
import { signInVouched } from '../../support/signed-identity';

const START = Date.UTC(2025, 2, 3, 8, 0);
const MIN = 60_000;

describe('shifts and breaks', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  let clock: TestClock;
  let batchId: string;
  let r: FakeRenderer;

  const open = (timing?: { breaks?: { microBreakEveryMinutes?: number; microBreakAfterEscalations?: number } }) => {
    clock = makeTestClock(START);
    env = makeServices({ clock });
    if (timing?.breaks) {
      env.services.settings.update({ breaks: timing.breaks });
    }
    tmp = makeTempDir('earmark-shift-');
    batchId = env.services.vault.importPackage(
      writeTestPackage(join(tmp.dir, 'b.earmark'), { recipient: env.services.vault.deviceKey().publicKey }).file,
    ).batchId;
    r = fakeRenderer(() => env.services, clock, batchId);
  };
  beforeEach(() => open());
  afterEach(() => {
    env.dispose();
    tmp.remove();
  });

  /** Works on a clip for `ms` of active time, then submits it. */
  const doClip = (clipId: string, ms: number): void => {
    r.event('shown', {}, clipId);
    clock.advance(ms);
    r.event('submit', {}, clipId);
    r.flush();
    env.services.annotations.submit({
      batchId,
      clipId,
      basedOnRevision: 0,
      disposition: 'noise_only',
      body: { transcript: '', critical: [], entities: [] },
    });
    r.event('leave', {}, clipId);
  };

  it('starts a shift with the first clip and keeps it until the reviewer ends it', () => {
    expect(env.services.shifts.current()).toBeNull();
    doClip('c-AAAAAAAAAAAAAAA1', 20_000);
    const shift = env.services.shifts.current();
    expect(shift).toMatchObject({ startReason: 'first_clip', startedAt: START, endedAt: null });
    clock.advance(MIN);
    expect(env.services.shifts.end()).toMatchObject({
      id: shift?.id,
      endReason: 'explicit',
      endedAt: START + 20_000 + MIN,
    });
    expect(env.services.shifts.current()).toBeNull();
  });

  it('starts a shift at sign-in and ends it at sign-out; a sign-in again keeps it', () => {
    env.services.session.signIn({ pseudonym: 'rv-7', role: 'reviewer' });
    const shift = env.services.shifts.current();
    expect(shift).toMatchObject({ pseudonym: 'rv-7', startReason: 'sign_in' });
    clock.advance(MIN);
    env.services.session.signIn({ pseudonym: 'rv-7', role: 'reviewer' });
    expect(env.services.shifts.current()?.id).toBe(shift?.id);
    env.services.session.signOut();
    expect(env.services.shifts.current()).toBeNull();
  });

  it('ends a shift left without activity for hours at its last activity, and starts a fresh one', () => {
    doClip('c-AAAAAAAAAAAAAAA1', 10_000);
    const first = env.services.shifts.current();
    clock.advance(SHIFT_LAPSE_MS + MIN);
    doClip('c-AAAAAAAAAAAAAAA2', 10_000);
    const second = env.services.shifts.current();
    expect(second?.id).not.toBe(first?.id);
    signInVouched(env.services, { pseudonym: 'sv-1', role: 'supervisor' });
    const lapsed = env.services.reports.shifts().find((s) => s.shift.id === first?.id);
    expect(lapsed?.shift).toMatchObject({ endReason: 'lapsed', endedAt: START + 10_000 });
  });

  it('survives a restart: the open shift and the break under way are still there', () => {
    doClip('c-AAAAAAAAAAAAAAA1', 10_000);
    const taken = env.services.shifts.startBreak('manual');
    env.reopen();
    expect(env.services.shifts.panel().onBreak).toMatchObject({ id: taken.id, trigger: 'manual', endedAt: null });
    clock.advance(5 * MIN);
    expect(env.services.shifts.endBreak()).toMatchObject({ id: taken.id, endedAt: taken.startedAt + 5 * MIN });
  });

  it('gives the reviewer clips done, clips per hour and median handle time', () => {
    doClip('c-AAAAAAAAAAAAAAA1', 10_000);
    doClip('c-AAAAAAAAAAAAAAA2', 30_000);
    doClip('c-AAAAAAAAAAAAAAA3', 20_000);
    clock.advance(MIN);
    const panel = env.services.shifts.panel();
    expect(panel).toMatchObject({
      clipsDone: 3,
      medianHandleMs: 20_000,
      idleSeconds: 30,
      breakMinutes: 5,
      breaksSkippable: true,
    });
    // 3 clips in 2 minutes of shift.
    expect(panel.clipsPerHour).toBeCloseTo(90, 5);
  });

  it('suggests a micro-break after continuous work, counts down to it, and starts again after a break', () => {
    env.dispose();
    tmp.remove();
    open({ breaks: { microBreakEveryMinutes: 20 } });
    r.event('shown', {}, 'c-AAAAAAAAAAAAAAA1');
    clock.advance(15 * MIN);
    r.event('edit', {}, 'c-AAAAAAAAAAAAAAA1');
    r.flush();
    expect(env.services.shifts.panel()).toMatchObject({ breakDue: null, nextBreakInMs: 5 * MIN });
    clock.advance(5 * MIN);
    r.flush();
    expect(env.services.shifts.panel()).toMatchObject({ breakDue: 'continuous_work', nextBreakInMs: 0 });
    env.services.shifts.startBreak('continuous_work');
    r.event('idle', { label: 'break' }, 'c-AAAAAAAAAAAAAAA1');
    r.flush();
    expect(env.services.shifts.panel()).toMatchObject({ breakDue: null, onBreak: { trigger: 'continuous_work' } });
    clock.advance(5 * MIN);
    r.event('active', {}, 'c-AAAAAAAAAAAAAAA1');
    r.flush();
    env.services.shifts.endBreak();
    clock.advance(2 * MIN);
    r.flush();
    expect(env.services.shifts.panel()).toMatchObject({ breakDue: null, onBreak: null, nextBreakInMs: 18 * MIN });
  });

  it('counts idle time and time away as rest, not work', () => {
    env.dispose();
    tmp.remove();
    open({ breaks: { microBreakEveryMinutes: 20 } });
    r.event('shown', {}, 'c-AAAAAAAAAAAAAAA1');
    clock.advance(10 * MIN);
    r.event('idle', { label: 'no_input' }, 'c-AAAAAAAAAAAAAAA1');
    clock.advance(6 * MIN);
    r.event('active', {}, 'c-AAAAAAAAAAAAAAA1');
    clock.advance(MIN);
    r.flush();
    expect(env.services.shifts.panel().nextBreakInMs).toBe(19 * MIN);
  });

  it('suggests a break after an escalation; declining it starts that rule again', () => {
    doClip('c-AAAAAAAAAAAAAAA1', 10_000);
    env.services.annotations.escalate({ batchId, clipId: 'c-AAAAAAAAAAAAAAA2', category: 'crime_or_abuse', note: '' });
    expect(env.services.shifts.panel().breakDue).toBe('escalations');
    clock.advance(1_000);
    env.services.shifts.skipBreak('escalations');
    expect(env.services.shifts.panel().breakDue).toBeNull();
    clock.advance(1_000);
    env.services.annotations.escalate({ batchId, clipId: 'c-AAAAAAAAAAAAAAA3', category: 'other', note: '' });
    expect(env.services.shifts.panel().breakDue).toBe('escalations');
  });

  it('refuses to record a skipped break where breaks may not be skipped, and the break stays due', () => {
    env.services.settings.update({ breaks: { microBreakAfterEscalations: 1, breaksSkippable: false } });
    doClip('c-AAAAAAAAAAAAAAA1', 10_000);
    env.services.annotations.escalate({ batchId, clipId: 'c-AAAAAAAAAAAAAAA2', category: 'crime_or_abuse', note: '' });
    expect(env.services.shifts.panel().breakDue).toBe('escalations');
    let refusal: unknown;
    try {
      env.services.shifts.skipBreak('escalations');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/cannot be skipped/) as unknown });
    // A recorded skip would have started the rule's count again.
    expect(env.services.shifts.panel().breakDue).toBe('escalations');
  });

  it('ends the break under way when the shift ends', () => {
    doClip('c-AAAAAAAAAAAAAAA1', 10_000);
    env.services.shifts.startBreak('manual');
    clock.advance(MIN);
    env.services.shifts.end();
    signInVouched(env.services, { pseudonym: 'sv-1', role: 'supervisor' });
    const [summary] = env.services.reports.shifts().filter((s) => s.clipsDone === 1);
    expect(summary).toMatchObject({ breaks: 1, breakMs: MIN });
  });
});
