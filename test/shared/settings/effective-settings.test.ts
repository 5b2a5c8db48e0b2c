import { describe, expect, it } from 'vitest';
import { effectiveSettings, isLocked, lockedKeys, resolveLanguage } from '../../../shared/settings/effective-settings';
import {
  defaultSettings,
  type PolicySettings,
  type Settings,
  type UserSettings,
} from '../../../shared/settings/settings';

/** A user who has changed everything the UI lets them change. */
const user: Required<UserSettings> = {
  idleLockMinutes: 60,
  idleSeconds: 45,
  prefill: 'asr',
  heardInFullGate: false,
  emptyTranscriptCheck: false,
  autoplay: false,
  autoBackstepMs: 2000,
  playbackRate: 1.3,
  breaks: { microBreakEveryMinutes: 120, microBreakMinutes: 2, microBreakAfterEscalations: 0, breaksSkippable: true },
  uiLanguage: 'es',
  hotkeys: { 'player.toggle': { code: 'F4' } },
  insertTags: ['[noise]', '[cough]'],
  entityTypes: ['artist', 'podcast'],
};

/** An admin who has pinned everything, each to something other than the user's choice. */
const policy: Required<PolicySettings> = {
  serviceUrl: 'https://annotate.example.com',
  servicePublicKey: Buffer.alloc(32, 1).toString('base64'),
  maxClockSkewSeconds: 120,
  idleLockMinutes: 5,
  idleSeconds: 20,
  prefill: 'blank',
  heardInFullGate: true,
  emptyTranscriptCheck: true,
  autoplay: true,
  autoBackstepMs: 500,
  breaks: { microBreakEveryMinutes: 45, microBreakMinutes: 5, microBreakAfterEscalations: 1, breaksSkippable: false },
  uiLanguages: ['ro'],
  hotkeysCustomisable: false,
  insertTags: ['[noise]'],
  entityTypes: ['song'],
  purgeGraceMinutes: 60,
};

describe('effective settings', () => {
  it('are the defaults with no user choice and no policy', () => {
    expect(effectiveSettings(defaultSettings, {}, {})).toEqual(defaultSettings);
  });

  it("follow the user's choices where no policy is set", () => {
    expect(effectiveSettings(defaultSettings, user, {})).toEqual({ ...defaultSettings, ...user });
  });

  it('follow the policy over every user choice, keeping only what the policy cannot pin', () => {
    expect(effectiveSettings(defaultSettings, user, policy)).toEqual({
      ...policy,
      playbackRate: user.playbackRate,
      uiLanguage: null,
      hotkeys: {},
    });
  });

  it.each(Object.keys(policy) as (keyof PolicySettings)[])('never let a user setting override a pinned %s', (key) => {
    const pinned: PolicySettings = { [key]: policy[key] };
    expect(effectiveSettings(defaultSettings, user, pinned)[key]).toEqual(policy[key]);
  });

  it('merge break rules one by one: a pinned rule wins, the others stay with the user', () => {
    const result = effectiveSettings(
      defaultSettings,
      { breaks: { microBreakEveryMinutes: 90, microBreakMinutes: 2 } },
      { breaks: { breaksSkippable: false, microBreakMinutes: 10 } },
    );
    expect(result.breaks).toEqual({
      microBreakEveryMinutes: 90,
      microBreakMinutes: 10,
      microBreakAfterEscalations: defaultSettings.breaks.microBreakAfterEscalations,
      breaksSkippable: false,
    });
  });

  it("drop the user's own bindings when the policy switches rebinding off", () => {
    expect(effectiveSettings(defaultSettings, user, { hotkeysCustomisable: false }).hotkeys).toEqual({});
    expect(effectiveSettings(defaultSettings, user, { hotkeysCustomisable: true }).hotkeys).toEqual(user.hotkeys);
  });

  it('forget a chosen language the policy does not allow', () => {
    expect(
      effectiveSettings(defaultSettings, { uiLanguage: 'es' }, { uiLanguages: ['ro', 'en'] }).uiLanguage,
    ).toBeNull();
    expect(effectiveSettings(defaultSettings, { uiLanguage: 'en' }, { uiLanguages: ['ro', 'en'] }).uiLanguage).toBe(
      'en',
    );
  });

  it('ignore an undefined user value instead of letting it hide the default', () => {
    const result = effectiveSettings(
      defaultSettings,
      { idleLockMinutes: undefined, breaks: { microBreakMinutes: undefined } },
      {},
    );
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
    const some: PolicySettings = { idleLockMinutes: 5, autoplay: false };
    expect(isLocked(some, 'idleLockMinutes')).toBe(true);
    expect(isLocked(some, 'autoplay')).toBe(true);
    expect(isLocked(some, 'prefill')).toBe(false);
    expect(isLocked(some, 'breaks')).toBe(false);
  });

  it('include a pinned false, which is still a value', () => {
    expect(isLocked({ heardInFullGate: false }, 'heardInFullGate')).toBe(true);
  });

  it('are locked rule by rule under breaks, and breaks as a whole when any rule is pinned', () => {
    const some: PolicySettings = { breaks: { breaksSkippable: false } };
    expect(isLocked(some, 'breaks.breaksSkippable')).toBe(true);
    expect(isLocked(some, 'breaks.microBreakMinutes')).toBe(false);
    expect(isLocked(some, 'breaks')).toBe(true);
  });

  it('are none without a policy', () => {
    expect(lockedKeys({})).toEqual([]);
  });

  it('are listed for a settings screen, with the bindings locked when rebinding is off and the language when only one is allowed', () => {
    expect(
      lockedKeys({
        prefill: 'blank',
        breaks: { microBreakMinutes: 5 },
        uiLanguages: ['en'],
        hotkeysCustomisable: false,
      }),
    ).toEqual(['prefill', 'uiLanguages', 'hotkeysCustomisable', 'breaks.microBreakMinutes', 'hotkeys', 'uiLanguage']);
  });

  it('leave the bindings and the language free when the policy allows them', () => {
    const locked = lockedKeys({ hotkeysCustomisable: true, uiLanguages: ['es', 'en'] });
    expect(locked).not.toContain('hotkeys');
    expect(locked).not.toContain('uiLanguage');
  });
});

describe('UI language', () => {
  const onlySpanishAndEnglish: Settings = { ...defaultSettings, uiLanguages: ['es', 'en'] };

  it("is the user's choice when the policy allows it", () => {
    expect(resolveLanguage({ ...onlySpanishAndEnglish, uiLanguage: 'en' }, ['es-ES'])).toBe('en');
  });

  it("follows the system's preferences, by base language, when the user chose none", () => {
    expect(resolveLanguage(defaultSettings, ['fr-FR', 'ro-RO', 'en'])).toBe('ro');
  });

  it('skips system languages the policy does not allow', () => {
    expect(resolveLanguage(onlySpanishAndEnglish, ['ro-RO', 'en-GB'])).toBe('en');
  });

  it('falls back to the first allowed language when nothing else matches', () => {
    expect(resolveLanguage(onlySpanishAndEnglish, ['fr'])).toBe('es');
    expect(resolveLanguage({ ...onlySpanishAndEnglish, uiLanguage: 'ro' }, [])).toBe('es');
  });
});
