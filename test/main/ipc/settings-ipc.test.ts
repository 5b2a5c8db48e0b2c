import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../main/ipc/dispatcher';
import { createHandlerTable } from '../../../main/ipc/handlers';
import type { SenderInfo } from '../../../main/ipc/sender';
import { silentLogger } from '../../../main/log/logger';
import type { Policy } from '../../../main/policy/policy.schema';
import { defaultSettings } from '../../../shared/settings/settings';
import { makeServices, type ServicesEnv } from '../../support/services';

const ORIGIN = 'app://earmark';
const trusted: SenderInfo = { frameUrl: 'app://earmark/index.html', fromOwnWindow: true };

describe('settings over IPC', () => {
  let env: ServicesEnv | undefined;
  const dispatcher = (policy?: Policy) => {
    env = makeServices(policy ? { policy } : {});
    return createDispatcher({
      handlers: createHandlerTable(env.services),
      allowedOrigin: ORIGIN,
      logger: silentLogger,
    });
  };
  afterEach(() => env?.dispose());

  it('answers settings:get with the values and the locked keys', async () => {
    const ipc = dispatcher({ idleLockMinutes: 5 });
    expect(await ipc.invoke(trusted, 'settings:get', undefined)).toEqual({
      ok: true,
      value: { values: { ...defaultSettings, idleLockMinutes: 5 }, locked: ['idleLockMinutes'] },
    });
  });

  it('stores a valid settings:update and answers with the new settings', async () => {
    const ipc = dispatcher();
    const result = await ipc.invoke(trusted, 'settings:update', {
      autoBackstepMs: 500,
      hotkeys: { 'settings.open': { code: 'F3' } },
    });
    expect(result).toMatchObject({
      ok: true,
      value: { values: { autoBackstepMs: 500, hotkeys: { 'settings.open': { code: 'F3' } } } },
    });
    expect(env?.services.settings.get().values.autoBackstepMs).toBe(500);
  });

  it.each<[string, unknown, string]>([
    ['a value out of range', { autoBackstepMs: 3500 }, 'autoBackstepMs: must be a whole number from 0 to 3000'],
    ['a setting only the policy sets', { hotkeysCustomisable: false }, 'Unrecognized key: "hotkeysCustomisable"'],
    [
      'a modifier alone as a binding',
      { hotkeys: { 'player.toggle': { code: 'AltLeft', alt: true } } },
      'is a modifier key alone',
    ],
    ['a plain letter as a binding', { hotkeys: { 'player.toggle': { code: 'KeyJ' } } }, 'would fire while typing'],
    ['a bad entity type', { entityTypes: ['<b>'] }, 'entityTypes.0: must be a short lower-case word'],
    ['no payload', undefined, 'expected object'],
    ['a list instead of an object', [], 'expected object'],
  ])('refuses %s with BAD_REQUEST, naming the setting, and stores nothing', async (_name, payload, message) => {
    const ipc = dispatcher();
    const result = await ipc.invoke(trusted, 'settings:update', payload);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('BAD_REQUEST');
    expect(!result.ok && result.error.message).toContain(message);
    expect(env?.services.settings.get().values).toEqual(defaultSettings);
  });

  it('refuses a payload on settings:get', async () => {
    const result = await dispatcher().invoke(trusted, 'settings:get', { all: true });
    expect(!result.ok && result.error.code).toBe('BAD_REQUEST');
  });

  it('passes the POLICY_PINNED code of a pinned setting through to the renderer', async () => {
    const ipc = dispatcher({ autoplay: true });
    expect(await ipc.invoke(trusted, 'settings:update', { autoplay: false })).toEqual({
      ok: false,
      error: { code: 'POLICY_PINNED', message: 'Settings not saved: "autoplay" is set by your administrator.' },
    });
  });

  it('passes the CONFLICT code of a chord given to two commands through to the renderer', async () => {
    const ipc = dispatcher();
    const result = await ipc.invoke(trusted, 'settings:update', {
      hotkeys: { 'review.next': { code: 'F3' }, 'review.previous': { code: 'F3' } },
    });
    expect(!result.ok && result.error.code).toBe('CONFLICT');
  });
});
