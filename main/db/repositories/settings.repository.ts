/**
 * The workstation's settings rows, typed: every key, its encoding and its schema are declared
 * in settings.schema.ts, and nothing reads or writes a row except through them. Never holds
 * clip content.
 */
import type { Connection } from '../connection';
import { commitUnsynced } from '../unsynced-commit';
import { settingsRegistry, type SettingEncoding, type SettingKey, type SettingValue } from './settings.schema';

/** A stored row that fails its schema where that must be reported rather than read as absent. */
export class InvalidSettingError extends Error {
  override readonly name = 'InvalidSettingError';
  constructor(readonly key: SettingKey) {
    super(`The stored setting "${key}" is damaged: it does not have the form this version expects.`);
  }
}

function decode(encoding: SettingEncoding, text: string): unknown {
  switch (encoding) {
    case 'text':
      return text;
    case 'number':
      return Number(text);
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // Not JSON at all: the schema check below reports it like any other damage.
        return undefined;
      }
  }
}

const encode = (encoding: SettingEncoding, value: unknown): string =>
  encoding === 'json' ? JSON.stringify(value) : String(value);

export function createSettingsRepository(db: Connection) {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  return {
    /**
     * The stored value, parsed and checked against its schema; undefined when the row is
     * missing, or damaged where the registry says damage reads as absent.
     * @throws InvalidSettingError for a damaged row the registry says must be reported.
     */
    get<K extends SettingKey>(key: K): SettingValue<K> | undefined {
      const text = select.get(key)?.value;
      if (text === undefined) {
        return undefined;
      }
      const { encoding, schema, whenInvalid } = settingsRegistry[key];
      const parsed = schema.safeParse(decode(encoding, text));
      if (parsed.success) {
        // The registry lookup widens to every key's schema; this one is the schema of `key`.
        return parsed.data as SettingValue<K>;
      }
      if (whenInvalid === 'absent') {
        return undefined;
      }
      throw new InvalidSettingError(key);
    },
    /** Whether a row exists, whatever it holds. */
    has: (key: SettingKey): boolean => select.get(key) !== undefined,
    /** Checks `value` against the key's schema, then writes it in the key's encoding. */
    set<K extends SettingKey>(key: K, value: SettingValue<K>): void {
      const { encoding, schema } = settingsRegistry[key];
      upsert.run(key, encode(encoding, schema.parse(value)));
    },
    /**
     * Like `set`, for a value a power cut may take back to its previous one at no cost (a time
     * shown to the reviewer, written again by the next cycle): its commit is not synced to disk
     * by itself, but with the next ordinary commit (unsynced-commit.ts).
     */
    setUnsynced<K extends SettingKey>(key: K, value: SettingValue<K>): void {
      const { encoding, schema } = settingsRegistry[key];
      const text = encode(encoding, schema.parse(value));
      commitUnsynced(db, () => upsert.run(key, text));
    },
    delete: (key: SettingKey): void => {
      remove.run(key);
    },
    /** True inside an open transaction, whose writes may still roll back. */
    inTransaction: (): boolean => db.inTransaction,
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
