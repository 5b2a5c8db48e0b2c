import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { err } from '../../../../shared/result';
import { defaultSettings, type SettingsSnapshot } from '../../../../shared/settings/settings';
import { createAppStore, type AppStore } from '../../../../renderer/store';
import { createInProcessApi, type InProcessApi } from '../../../support/in-process-api';

describe('settings slice', () => {
  let main: InProcessApi;
  let store: AppStore;
  const settings = () => store.getState().settings;

  beforeEach(() => {
    main = createInProcessApi({ policy: { autoplay: false } });
    store = createAppStore(main.api);
  });

  afterEach(() => {
    main.cleanup();
  });

  it('holds the defaults until main has answered', () => {
    expect(settings()).toMatchObject({ values: defaultSettings, locked: [], loaded: false, error: null });
  });

  it('loads the settings that apply and what the policy decides', async () => {
    await settings().load();

    expect(settings()).toMatchObject({
      values: { ...defaultSettings, autoplay: false },
      locked: ['autoplay'],
      loaded: true,
    });
  });

  it('takes the stored settings back from an update', async () => {
    const result = await settings().update({ autoBackstepMs: 500 });

    expect(result.ok).toBe(true);
    expect(settings().values.autoBackstepMs).toBe(500);
  });

  it('returns a refusal and changes nothing', async () => {
    await settings().load();

    const result = await settings().update({ autoplay: true });

    expect(result).toMatchObject({ ok: false, error: { code: 'POLICY_PINNED' } });
    expect(settings().values.autoplay).toBe(false);
  });

  it('keeps the defaults and the reason when loading fails', async () => {
    const unavailable = err<SettingsSnapshot>('UNAVAILABLE', 'The app could not complete "settings:get". Try again.');
    store = createAppStore({
      ...main.api,
      settings: { ...main.api.settings, get: () => Promise.resolve(unavailable) },
    });

    await settings().load();

    expect(settings()).toMatchObject({ values: defaultSettings, loaded: true, error: { code: 'UNAVAILABLE' } });
  });
});
