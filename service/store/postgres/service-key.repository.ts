/** The service's own key pair in PostgreSQL. */
import type { ServiceKeyRepository } from '../repositories';
import { lockKey } from './advisory-lock';
import type { PgDb } from './db';

export function pgServiceKeyRepository(db: PgDb): ServiceKeyRepository {
  return {
    async oldest() {
      // The first key is looked for, then made, in one unit of work (service/core.ts): processes
      // starting together take turns here, so they all end up with the same key.
      await lockKey(db, 'service-keys');
      const [r] = await db.query<{ private_pem: string }>(
        'SELECT private_pem FROM service_keys ORDER BY created_at, key_id COLLATE "C" LIMIT 1',
      );
      return r?.private_pem;
    },
    async add(keyId, privatePem, createdAt) {
      await db.execute('INSERT INTO service_keys (key_id, private_pem, created_at) VALUES ($1, $2, $3)', [
        keyId,
        privatePem,
        createdAt,
      ]);
    },
  };
}
