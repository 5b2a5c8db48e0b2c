import { describe, expect, it } from 'vitest';
import {
  effectiveLanguage,
  effectiveSettings,
  isLocked,
  lockedKeys,
  type UserSettings,
} from '../../../main/policy/effective-settings';
import { defaultSettings, type Policy, type Settings } from '../../../main/policy/policy.schema';

/** A user who has changed everything the UI lets them change. */
const user: UserSettings = {
  serviceUrl: 'https://user-choice.example.com',
  idleLockMinutes: 60,
  prefill: 'asr',
  heardInFullGate: false,
  breaks: { microBreakEveryMinutes: 120, microBreakMinutes: 2, microBreakAfterEscalations: 0, breaksSkippable: true },
  uiLanguages: ['en', 'es', 'ro'],
  hotkeysCustomisable: true,
};

/** An admin who has pinned everything, each to something other than the user's choice. */
const policy: Required<Policy> = {
  serviceUrl: 'https://annotate.example.com',
  idleLockMinutes: 5,
  prefill: 'blank',
  heardInFullGate: true,
  breaks: { microBreakEveryMinutes: 45, microBreakMinutes: 5, microBreakAfterEscalations: 1, breaksSkippable: false },
  uiLanguages: ['ro'],
  hotkeysCustomisable: false,
};

describe('effective settings', () => {
  it('are the defaults with no user choice and no policy', () => {
    expect(effectiveSettings(defaultSettings, {}, {})).toEqual(defaultSettings);
  });

  it("follow the user's choices where no policy is set", () => {
    expect(effectiveSettings(defaultSettings, user, {})).toEqual(user);
  });

  it('follow the policy over every user choice', () => {
    expect(effectiveSettings(defaultSettings, user, policy)).toEqual(policy);
  });

  it.each(Object.keys(policy) as (keyof Settings)[])('never let a user setting override a pinned %s', (key) => {
    const pinned: Policy = { [key]: policy[key] };
    expect(effectiveSettings(defaultSettings, user, pinned)[key]).toEqual(policy[key]);
  });

  it('merge break rules one by one: a pinned rule wins, the others stay with the user', () => {
    const result = effectiveSettings(defaultSettings, { breaks: { microBreakEveryMinutes: 90, microBreakMinutes: 2 } }, { breaks: { breaksSkippable: false, microBreakMinutes: 10 } });
    expect(result.breaks).toEqual({
      microBreakEveryMinutes: 90,
      microBreakMinutes: 10,
      microBreakAfterEscalations: defaultSettings.breaks.microBreakAfterEscalations,
      breaksSkippable: false,
    });
  });

  it('ignore an undefined user value instead of letting it hide the default', () => {
    const result = effectiveSettings(defaultSettings, { idleLockMinutes: undefined, breaks: { microBreakMinutes: undefined } }, {});
    expect(result.idleLockMinutes).toBe(defaultSettings.idleLockMinutes);
    expect(result.breaks.microBreakMinutes).toBe(defaultSettings.breaks.microBreakMinutes);
  });

  it('do not change their inputs', () => {
    const defaults = structuredClone(defaultSettings);
    effectiveSettings(defaults, user, policy);
    expect(defaults).toEqual(defaultSettings);
  });
});

describe('admin-controlled settings', () => {
  it('are the keys the policy pins', () => {
    const some: Policy = { idleLockMinutes: 5, hotkeysCustomisable: false };
    expect(isLocked(some, 'idleLockMinutes')).toBe(true);
    expect(isLocked(some, 'hotkeysCustomisable')).toBe(true);
    expect(isLocked(some, 'prefill')).toBe(false);
    expect(isLocked(some, 'breaks')).toBe(false);
  });

  it('include a pinned false, which is still a value', () => {
    expect(isLocked({ heardInFullGate: false }, 'heardInFullGate')).toBe(true);
  });

  it('are locked rule by rule under breaks, and breaks as a whole when any rule is pinned', () => {
    const some: Policy = { breaks: { breaksSkippable: false } };
    expect(isLocked(some, 'breaks.breaksSkippable')).toBe(true);
    expect(isLocked(some, 'breaks.microBreakMinutes')).toBe(false);
    expect(isLocked(some, 'breaks')).toBe(true);
  });

  it('are none without a policy', () => {
    expect(lockedKeys({})).toEqual([]);
  });

  it('are listed for a settings screen', () => {
    expect(lockedKeys({ prefill: 'blank', breaks: { microBreakMinutes: 5 }, uiLanguages: ['en'] })).toEqual([
      'prefill',
      'uiLanguages',
      'breaks.microBreakMinutes',
    ]);
  });
});

describe('UI language', () => {
  const onlySpanishAndEnglish: Settings = { ...defaultSettings, uiLanguages: ['es', 'en'] };

  it("is the user's choice when the policy allows it", () => {
    expect(effectiveLanguage(onlySpanishAndEnglish, 'en')).toBe('en');
  });

  it('falls back to the first allowed language when the choice is not allowed', () => {
    expect(effectiveLanguage(onlySpanishAndEnglish, 'ro')).toBe('es');
    expect(effectiveLanguage(onlySpanishAndEnglish, undefined)).toBe('es');
  });
});
