import { afterEach, describe, expect, it } from 'vitest';
import { openConnection } from '../../../main/db/connection';
import { migrate } from '../../../main/db/migrate';
import { createSettingsRepository, type SettingsRepository } from '../../../main/db/repositories/settings.repository';
import { createLogger } from '../../../main/log/logger';
import type { Policy } from '../../../main/policy/policy.schema';
import { createEventHub } from '../../../main/services/event-hub';
import { createSettingsService, USER_SETTINGS_KEY } from '../../../main/services/settings.service';
import type { EventContract } from '../../../shared/ipc/contract';
import { defaultSettings, type SettingsSnapshot } from '../../../shared/settings/settings';
import {
  makeServices,
  queryDb,
  serviceError,
  type MakeServicesOptions,
  type ServicesEnv,
} from '../../support/services';

describe('settings service', () => {
  let env: ServicesEnv | undefined;
  const open = (options: MakeServicesOptions = {}): ServicesEnv => {
    env = makeServices(options);
    return env;
  };

  afterEach(() => {
    env?.dispose();
    env = undefined;
  });

  it('gives the defaults, with nothing locked, on a fresh workstation', () => {
    const { services } = open();
    expect(services.settings.get()).toEqual({ values: defaultSettings, locked: [] });
    expect(services.settings.get().values).toMatchObject({
      idleSeconds: 30,
      idleLockMinutes: 10,
      autoBackstepMs: 1000,
      playbackRate: 1,
      autoplay: true,
    });
  });

  it('applies a change, announces it and keeps it across a restart', () => {
    const e = open();
    const pushed: EventContract['settings:changed'][] = [];
    e.services.events.subscribe((event, payload) => {
      if (event === 'settings:changed') {
        pushed.push(payload as SettingsSnapshot);
      }
    });

    const result = e.services.settings.update({
      prefill: 'blank',
      playbackRate: 1.3,
      breaks: { microBreakMinutes: 3 },
      insertTags: ['[noise]', '[cough]'],
    });

    expect(result.values).toMatchObject({ prefill: 'blank', playbackRate: 1.3, insertTags: ['[noise]', '[cough]'] });
    expect(result.values.breaks).toEqual({ ...defaultSettings.breaks, microBreakMinutes: 3 });
    expect(pushed).toEqual([result]);
    const reopened = e.reopen();
    expect(reopened.settings.get()).toEqual(result);
  });

  it('stores only what the reviewer chose, as one row of plain settings', () => {
    const e = open();
    e.services.settings.update({ autoplay: false });
    e.services.settings.update({ breaks: { breaksSkippable: false } });
    e.services.settings.update({ breaks: { microBreakMinutes: 2 } });

    const rows = queryDb<{ value: string }>(e.dataDir, 'SELECT value FROM settings WHERE key = ?', USER_SETTINGS_KEY);
    expect(rows.map((r) => JSON.parse(r.value) as unknown)).toEqual([
      { autoplay: false, breaks: { breaksSkippable: false, microBreakMinutes: 2 } },
    ]);
  });

  it('replaces the whole binding map, so a reset binding is gone', () => {
    const { services } = open();
    services.settings.update({
      hotkeys: { 'player.toggle': { code: 'F4', mod: false }, 'review.next': { code: 'F5' } },
    });
    expect(services.settings.get().values.hotkeys).toEqual({
      'player.toggle': { code: 'F4' },
      'review.next': { code: 'F5' },
    });

    services.settings.update({ hotkeys: { 'review.next': { code: 'F5' } } });

    expect(services.settings.get().values.hotkeys).toEqual({ 'review.next': { code: 'F5' } });
  });

  it.each<[unknown, RegExp]>([
    [{ autoBackstepMs: 5000 }, /"autoBackstepMs" must be a whole number from 0 to 3000/],
    [{ playbackRate: 0.45 }, /"playbackRate" must be a number from 0.5 to 2.0/],
    [{ entityTypes: ['Artist'] }, /"entityTypes.0" must be a short lower-case word/],
    [{ insertTags: ['noise'] }, /"insertTags.0" must be a tag such as "\[noise\]"/],
    [{ serviceUrl: 'https://elsewhere.example' }, /"serviceUrl" is not a setting you can change/],
    [{ breaks: { lunch: 30 } }, /"lunch" is not a setting you can change under "breaks"/],
    [{ hotkeys: { 'player.toggle': { code: 'KeyK' } } }, /"hotkeys.player.toggle" KeyK would fire while typing/],
  ])('refuses %j with a message naming the setting, and changes nothing', (patch, message) => {
    const { services } = open();
    services.settings.update({ autoplay: false });

    expect(serviceError('BAD_REQUEST', () => services.settings.update(patch as never))).toMatch(message);
    expect(services.settings.get().values).toEqual({ ...defaultSettings, autoplay: false });
  });

  it('refuses one chord for two commands, naming both, and keeps the old bindings', () => {
    const { services } = open();
    services.settings.update({ hotkeys: { 'player.toggle': { code: 'F4' } } });

    const message = serviceError('CONFLICT', () =>
      services.settings.update({
        hotkeys: { 'player.toggle': { code: 'F6' }, 'review.next': { code: 'F6', shift: false } },
      }),
    );

    expect(message).toBe('Settings not saved: F6 is bound to more than one command ("player.toggle", "review.next").');
    expect(services.settings.get().values.hotkeys).toEqual({ 'player.toggle': { code: 'F4' } });
  });

  it('refuses to change a pinned setting, naming it, and leaves the other settings free', () => {
    const { services } = open({ policy: { prefill: 'blank', breaks: { breaksSkippable: false } } });
    services.settings.update({ idleSeconds: 90 });

    expect(services.settings.get()).toMatchObject({
      values: { prefill: 'blank', idleSeconds: 90 },
      locked: ['prefill', 'breaks.breaksSkippable'],
    });
    expect(serviceError('POLICY_PINNED', () => services.settings.update({ prefill: 'asr' }))).toBe(
      'Settings not saved: "prefill" is set by your administrator.',
    );
    expect(
      serviceError('POLICY_PINNED', () =>
        services.settings.update({ autoplay: false, breaks: { breaksSkippable: true, microBreakMinutes: 2 } }),
      ),
    ).toBe('Settings not saved: "breaks.breaksSkippable" is set by your administrator.');
    expect(services.settings.get().values).toMatchObject({
      prefill: 'blank',
      autoplay: true,
      breaks: { breaksSkippable: false, microBreakMinutes: 5 },
    });
    expect(services.settings.update({ breaks: { microBreakMinutes: 2 } }).values.breaks.microBreakMinutes).toBe(2);
  });

  it('locks the bindings when the policy switches rebinding off, and drops the stored ones', () => {
    const { services } = open({ policy: { hotkeysCustomisable: false } });

    expect(services.settings.get().locked).toEqual(['hotkeysCustomisable', 'hotkeys']);
    expect(
      serviceError('POLICY_PINNED', () => services.settings.update({ hotkeys: { 'player.toggle': { code: 'F4' } } })),
    ).toBe('Settings not saved: "hotkeys" is set by your administrator.');
    expect(services.settings.get().values.hotkeys).toEqual({});
  });

  it('locks the language when the policy allows only one', () => {
    const { services } = open({ policy: { uiLanguages: ['ro'] } });
    expect(serviceError('POLICY_PINNED', () => services.settings.update({ uiLanguage: 'es' }))).toMatch(
      /"uiLanguage" is set by your administrator/,
    );
  });

  it('announces nothing for an empty change', () => {
    const { services } = open();
    let events = 0;
    services.events.subscribe(() => (events += 1));
    expect(services.settings.update({})).toEqual(services.settings.get());
    expect(events).toBe(0);
  });
});

describe('settings service over stored choices', () => {
  const repository = (value: string): SettingsRepository => {
    const db = openConnection(':memory:');
    migrate(db);
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run(USER_SETTINGS_KEY, value);
    return createSettingsRepository(db);
  };
  const start = (value: string, policy: Policy = {}) => {
    const logs: string[] = [];
    const service = createSettingsService({
      settings: repository(value),
      policy,
      events: createEventHub(),
      logger: createLogger('warn', (line) => logs.push(line)),
    });
    return { service, warnings: logs.map((l) => JSON.parse(l) as Record<string, unknown>) };
  };

  it('let the policy win over a choice stored before it was pinned', () => {
    const { service } = start(JSON.stringify({ prefill: 'asr', idleSeconds: 90 }), { prefill: 'blank' });
    expect(service.get().values).toMatchObject({ prefill: 'blank', idleSeconds: 90 });
  });

  it('keep every valid choice and drop, with a warning, the values it no longer accepts', () => {
    const { service, warnings } = start(
      JSON.stringify({
        autoplay: false,
        autoBackstepMs: -4,
        breaks: { microBreakMinutes: 3, breaksSkippable: 'no' },
        hotkeys: { 'player.toggle': { code: 'KeyK' } },
        retired: 1,
      }),
    );

    expect(service.get().values).toEqual({
      ...defaultSettings,
      autoplay: false,
      breaks: { ...defaultSettings.breaks, microBreakMinutes: 3 },
    });
    expect(warnings.map((w) => w['key'])).toEqual(['autoBackstepMs', 'breaks.breaksSkippable', 'hotkeys']);
  });

  it('fall back to the defaults when the row is not JSON', () => {
    const { service, warnings } = start('{not json');
    expect(service.get().values).toEqual(defaultSettings);
    expect(warnings).toEqual([
      expect.objectContaining({ message: 'settings: stored choices are damaged; defaults apply' }),
    ]);
  });
});
