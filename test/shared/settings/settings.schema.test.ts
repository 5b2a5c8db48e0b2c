import { describe, expect, it } from 'vitest';
import { defaultSettings, userSettingKeys } from '../../../shared/settings/settings';
import { describeBindingProblem, settingSchemas, settingsPatchSchema } from '../../../shared/settings/settings.schema';

/** The first issue's path and message, or null when the value passes. */
function firstIssue(value: unknown): [string, string] | null {
  const result = settingsPatchSchema.safeParse(value);
  const issue = result.error?.issues[0];
  return issue ? [issue.path.join('.'), issue.message] : null;
}

describe('settings patch', () => {
  it('takes exactly the settings a reviewer may change', () => {
    expect(Object.keys(settingsPatchSchema.shape).sort()).toEqual([...userSettingKeys].sort());
  });

  it('accepts every default, so a reviewer can always go back to it', () => {
    const all = Object.fromEntries(userSettingKeys.map((k) => [k, defaultSettings[k]]));
    expect(settingsPatchSchema.parse(all)).toEqual(all);
  });

  it('accepts an empty change', () => {
    expect(settingsPatchSchema.parse({})).toEqual({});
  });

  it.each<[unknown, [string, string]]>([
    [{ autoBackstepMs: 3001 }, ['autoBackstepMs', 'must be a whole number from 0 to 3000']],
    [{ autoBackstepMs: 250.5 }, ['autoBackstepMs', 'must be a whole number from 0 to 3000']],
    [{ playbackRate: 2.1 }, ['playbackRate', 'must be a number from 0.5 to 2.0']],
    [{ playbackRate: 1.25 }, ['playbackRate', 'must be a whole number of tenths, such as 0.8']],
    [{ prefill: 'auto' }, ['prefill', 'must be "asr" or "blank"']],
    [{ idleSeconds: 2 }, ['idleSeconds', 'must be a whole number from 5 to 600']],
    [{ autoplay: 'yes' }, ['autoplay', 'must be true or false']],
    [{ uiLanguage: 'fr' }, ['uiLanguage', 'must be one of "en", "es", "ro", or null']],
    [{ breaks: { microBreakMinutes: 30 } }, ['breaks.microBreakMinutes', 'must be a whole number from 1 to 15']],
    [{ breaks: { lunch: 30 } }, ['breaks', 'Unrecognized key: "lunch"']],
    [{ breaks: 5 }, ['breaks', 'must be an object of break rules']],
    [{ hotkeys: [] }, ['hotkeys', 'must map command ids to bindings']],
    [
      { insertTags: ['noise'] },
      ['insertTags.0', 'must be a tag such as "[noise]": one lower-case word in square brackets'],
    ],
    [
      { insertTags: ['[CRITICAL:bank]'] },
      ['insertTags.0', 'must be a tag such as "[noise]": one lower-case word in square brackets'],
    ],
    [{ insertTags: [] }, ['insertTags', 'must hold at least 1 tags']],
    [{ insertTags: ['[tv]', '[tv]'] }, ['insertTags', 'must not list the same tag twice']],
    [
      { entityTypes: ['Artist'] },
      ['entityTypes.0', 'must be a short lower-case word such as "artist" (letters, digits, "_")'],
    ],
    [{ entityTypes: ['song', 'song'] }, ['entityTypes', 'must not list the same entity type twice']],
    [
      { hotkeys: { 'player.toggle': { code: 'KeyK' } } },
      [
        'hotkeys.player.toggle',
        'KeyK would fire while typing; hold Ctrl (Cmd on macOS) or Alt with it, or use a function key',
      ],
    ],
    [
      { hotkeys: { 'player.toggle': { code: 'ShiftLeft', shift: true } } },
      ['hotkeys.player.toggle', 'Shift+ShiftLeft is a modifier key alone; add the key it modifies'],
    ],
    [
      { hotkeys: { 'player.toggle': { code: 'KeyV', mod: true } } },
      ['hotkeys.player.toggle', 'Mod+KeyV is reserved for text editing, the window or the app menu'],
    ],
    [
      { hotkeys: { 'player.toggle': { code: 'F4', ctrl: true } } },
      ['hotkeys.player.toggle', 'Unrecognized key: "ctrl"'],
    ],
    [{ hotkeys: { '../x': { code: 'F4' } } }, ['hotkeys.../x', 'is not a command id']],
    [{ hotkeys: { [`a${'b'.repeat(64)}`]: { code: 'F4' } } }, [`hotkeys.a${'b'.repeat(64)}`, 'is not a command id']],
  ])('refuses %j: %j', (value, issue) => {
    expect(firstIssue(value)).toEqual(issue);
  });

  it('refuses a key that is not a reviewer setting, by name', () => {
    const result = settingsPatchSchema.safeParse({ serviceUrl: 'https://evil.example', hotkeysCustomisable: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['serviceUrl', 'hotkeysCustomisable'],
    });
  });

  it('accepts tags in other scripts and entity types with digits and underscores', () => {
    expect(settingSchemas.insertTags.parse(['[ruido]', '[tuse]', '[risa-fuerte]'])).toHaveLength(3);
    expect(settingSchemas.entityTypes.parse(['tv_show', 'app2'])).toEqual(['tv_show', 'app2']);
  });

  it('describes a chord problem as a sentence, and none for a good chord', () => {
    expect(describeBindingProblem({ code: 'KeyQ', mod: true, alt: true }, false)).toBe(
      'Mod+Alt+KeyQ is AltGr on many keyboards and would fire while typing a character',
    );
    expect(describeBindingProblem({ code: 'F2' })).toBeNull();
  });
});
