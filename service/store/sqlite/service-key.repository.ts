/** The service's own key pair in SQLite. */
import type { Database } from 'better-sqlite3';
import type { ServiceKeyRepository } from '../repositories';
import type { Sync } from './unit-of-work';

export function sqliteServiceKeyRepository(db: Database): Sync<ServiceKeyRepository> {
  const oldest = db.prepare<[], { private_pem: string }>(
    'SELECT private_pem FROM service_keys ORDER BY created_at LIMIT 1',
  );
  const insert = db.prepare<[string, string, number]>(
    'INSERT INTO service_keys (key_id, private_pem, created_at) VALUES (?, ?, ?)',
  );
  return {
    oldest: () => oldest.get()?.private_pem,
    add: (keyId, privatePem, createdAt) => {
      insert.run(keyId, privatePem, createdAt);
    },
  };
}
