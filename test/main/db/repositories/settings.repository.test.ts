import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import {
  createSettingsRepository,
  InvalidSettingError,
  type SettingsRepository,
} from '../../../../main/db/repositories/settings.repository';
import { settingsRegistry, type SettingKey, type SettingValue } from '../../../../main/db/repositories/settings.schema';
import { makeTempDir } from '../../../support/temp-dir';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** One valid value per key, each in the shape its callers write. */
const samples: { readonly [K in SettingKey]: SettingValue<K> } = {
  'demo.pseudonym': 'demo-a1b2c3',
  'session.identity': { pseudonym: 'rv-7', role: 'supervisor' },
  'session.sealedIdentity': b64('sealed identity'),
  'session.signedIdentity': b64('sealed signed identity'),
  'lock.password': b64('verifier'),
  'lock.pin': b64('pin verifier'),
  'lock.heldDrafts': [
    {
      batchId: 'b-AAAAAAAAAAAAAAA1',
      clipId: 'c-AAAAAAAAAAAAAAA1',
      wrap: { ephemeralPublicKey: b64('e'), salt: b64('s'), iv: b64('i'), tag: b64('t'), wrappedKey: b64('w') },
      iv: b64('iv'),
      tag: b64('tag'),
      data: b64('data'),
    },
  ],
  'settings.user': { autoplay: false, breaks: { microBreakMinutes: 3 } },
  'sync.lastSyncAt': 1_767_225_600_123,
  'sync.serviceKey': { keyId: '0123456789abcdef', encryptionKey: Buffer.alloc(32, 7).toString('base64') },
  'sync.enrolled': 'https://svc.example|0123456789abcdef',
  'clock.lastTrusted': 1_767_225_600_000,
  'sealed.clock': { counter: 3, sealed: b64('sealed') },
  'sealed.unlockFailures': { counter: 1, sealed: b64('sealed') },
  'sealed.committedWork': { counter: 9, sealed: b64('sealed') },
  'sealed.serviceSigningKey': { counter: 1, sealed: b64('sealed') },
  'sealed.syncMarks': { counter: 2, sealed: b64('sealed') },
  'sealed.legacyResealed': { counter: 1, sealed: b64('sealed') },
  'sealed.batchExpiries': { counter: 1, sealed: b64('sealed') },
};
const keys = Object.keys(settingsRegistry) as SettingKey[];

describe('settings repository', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;
  let settings: SettingsRepository;
  const raw = (key: string): string | undefined =>
    db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key)?.value;
  const store = (key: string, value: string): void => {
    db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)').run(key, value);
  };

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'settings.db'));
    migrate(db);
    settings = createSettingsRepository(db);
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it.each(keys)('reads back what it wrote under "%s", typed, and forgets it on delete', (key) => {
    expect(settings.get(key)).toBeUndefined();
    expect(settings.has(key)).toBe(false);
    settings.set(key, samples[key]);
    expect(settings.get(key)).toEqual(samples[key]);
    expect(settings.has(key)).toBe(true);
    settings.delete(key);
    expect(settings.get(key)).toBeUndefined();
    expect(raw(key)).toBeUndefined();
  });

  it('keeps the encodings older versions wrote, so an existing database reads back unchanged', () => {
    settings.set('sync.lastSyncAt', 1_767_225_600_123);
    settings.set('demo.pseudonym', 'demo-ffeedd');
    settings.set('session.identity', { pseudonym: 'rv-7', role: 'reviewer' });
    expect(raw('sync.lastSyncAt')).toBe('1767225600123');
    expect(raw('demo.pseudonym')).toBe('demo-ffeedd');
    expect(JSON.parse(raw('session.identity') ?? '')).toEqual({ pseudonym: 'rv-7', role: 'reviewer' });

    store('clock.lastTrusted', '1767225600000');
    store('settings.user', '{"autoplay":false}');
    expect(settings.get('clock.lastTrusted')).toBe(1_767_225_600_000);
    expect(settings.get('settings.user')).toEqual({ autoplay: false });
  });

  it('writes a value not worth a sync of its own the same way, and leaves every later commit synced', () => {
    settings.setUnsynced('sync.lastSyncAt', 1_767_225_600_123);
    expect(raw('sync.lastSyncAt')).toBe('1767225600123');
    expect(settings.get('sync.lastSyncAt')).toBe(1_767_225_600_123);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(() => settings.setUnsynced('sync.lastSyncAt', Number.NaN)).toThrow();
    expect(settings.get('sync.lastSyncAt')).toBe(1_767_225_600_123);
  });

  it('refuses to write a value that fails its schema, leaving the stored one as it was', () => {
    settings.set('session.identity', { pseudonym: 'rv-7', role: 'reviewer' });
    const before = raw('session.identity');
    // A caller that got around the types: an unknown role must not reach the table.
    const forged = JSON.parse('{"pseudonym":"rv-7","role":"admin"}') as SettingValue<'session.identity'>;
    expect(() => settings.set('session.identity', forged)).toThrow();
    expect(() => settings.set('sync.lastSyncAt', Number.NaN)).toThrow();
    expect(raw('session.identity')).toBe(before);
    expect(raw('sync.lastSyncAt')).toBeUndefined();
  });

  it('reads a damaged row as absent where it always has: sign-in, pseudonym, last sync, clock floor', () => {
    store('session.identity', '{"pseudonym":"rv-7","role":"admin"}');
    store('demo.pseudonym', '');
    store('sync.lastSyncAt', 'not a number');
    store('clock.lastTrusted', '-5');
    expect(settings.get('session.identity')).toBeUndefined();
    expect(settings.get('demo.pseudonym')).toBeUndefined();
    expect(settings.get('sync.lastSyncAt')).toBeUndefined();
    expect(settings.get('clock.lastTrusted')).toBeUndefined();
  });

  it('reports a damaged row it cannot guess around, naming the key', () => {
    store('lock.heldDrafts', '{not json');
    store('sync.serviceKey', '{"keyId":"x"}');
    store('settings.user', '[1,2]');
    for (const key of ['lock.heldDrafts', 'sync.serviceKey', 'settings.user'] as const) {
      let thrown: unknown;
      try {
        settings.get(key);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidSettingError);
      expect((thrown as InvalidSettingError).key).toBe(key);
      expect((thrown as Error).message).toContain(`"${key}"`);
      // The row is still there: damage is reported, never silently erased.
      expect(settings.has(key)).toBe(true);
    }
  });
});
