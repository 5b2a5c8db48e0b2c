import { describe, expect, it } from 'vitest';
import {
  chooseStore,
  DATABASE_URL_ENV,
  DatabaseUrlError,
  describeStore,
} from '../../../service/store/open-service-store';

describe('choosing the service store', () => {
  it('takes --database first, then the environment, else the SQLite file in the data folder', () => {
    const env = { [DATABASE_URL_ENV]: 'postgres://env@db.example/earmark' };
    expect(
      chooseStore({ database: 'postgresql://flag@db.example/e', env, dataDir: '/d', pg: { poolSize: 3 } }),
    ).toEqual({ kind: 'postgres', url: 'postgresql://flag@db.example/e', options: { poolSize: 3 } });
    expect(chooseStore({ database: undefined, env, dataDir: '/d' })).toEqual({
      kind: 'postgres',
      url: 'postgres://env@db.example/earmark',
      options: {},
    });
    expect(chooseStore({ database: undefined, env: { [DATABASE_URL_ENV]: '' }, dataDir: '/d' })).toEqual({
      kind: 'sqlite',
      file: '/d/service.db',
    });
  });

  it('refuses anything but a PostgreSQL URL, without echoing it', () => {
    expect(() => chooseStore({ database: 'mysql://u:secret@h/db', env: {}, dataDir: '/d' })).toThrow(DatabaseUrlError);
    expect(() => chooseStore({ database: 'mysql://u:secret@h/db', env: {}, dataDir: '/d' })).not.toThrow(/secret/);
  });

  it('names a PostgreSQL store by host and database, never its password', () => {
    const text = describeStore({ kind: 'postgres', url: 'postgres://u:hunter2@db.example:5433/earmark', options: {} });
    expect(text).toBe('PostgreSQL db.example:5433/earmark');
  });
});
