import type { Connection } from '../connection';

/** Workstation settings as plain key/value text. Never holds clip content. */
export function createSettingsRepository(db: Connection) {
  const select = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  const upsert = db.prepare<[string, string]>(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  return {
    get: (key: string): string | undefined => select.get(key)?.value,
    set: (key: string, value: string): void => {
      upsert.run(key, value);
    },
    delete: (key: string): void => {
      remove.run(key);
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
