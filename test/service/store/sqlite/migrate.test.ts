import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openServiceDb } from '../../../../service/store/sqlite/connection';
import {
  latestVersion,
  migrate,
  schemaVersion,
  ServiceSchemaTooNewError,
} from '../../../../service/store/sqlite/migrate';
import { migrations } from '../../../../service/store/sqlite/migrations';
import type { Migration } from '../../../../service/store/sqlite/migrations/types';
import { makeTempDir } from '../../../support/temp-dir';

describe('service migrations runner', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;
  let db: Database.Database;

  beforeEach(() => {
    tmp = makeTempDir();
    file = join(tmp.dir, 'service.db');
    db = new Database(file);
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('brings a new database to the latest version and records it', () => {
    expect(migrate(db)).toEqual(migrations.map((m) => m.version));
    expect(schemaVersion(db)).toBe(latestVersion());
  });

  it('applies nothing the second time', () => {
    migrate(db);
    expect(migrate(db)).toEqual([]);
  });

  it('refuses a database from a newer schema with a clear error and leaves it untouched', () => {
    migrate(db);
    db.pragma(`user_version = ${latestVersion() + 1}`);
    expect(() => migrate(db)).toThrow(ServiceSchemaTooNewError);
    expect(() => migrate(db)).toThrow(/newer|knows only up to/);
    expect(schemaVersion(db)).toBe(latestVersion() + 1);
  });

  it('rolls back a migration that fails half-way', () => {
    const failing: Migration[] = [
      ...migrations,
      {
        version: latestVersion() + 1,
        name: 'broken',
        up: (c) => {
          c.exec('CREATE TABLE half_done (x INTEGER) STRICT');
          c.exec('THIS IS NOT SQL');
        },
      },
    ];
    expect(() => migrate(db, failing)).toThrow();
    expect(schemaVersion(db)).toBe(latestVersion());
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").get()).toBeUndefined();
  });

  it('rejects a repeated number', () => {
    const repeated = [
      { version: 1, name: 'one', up: () => undefined },
      { version: 1, name: 'again', up: () => undefined },
    ];
    expect(() => migrate(db, repeated)).toThrow(/distinct whole numbers/);
  });

  it('opens with WAL, synchronous FULL and foreign keys, migrated, and refuses a newer file without changing it', () => {
    db.close();
    db = openServiceDb(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(latestVersion());
    db.pragma(`user_version = ${latestVersion() + 1}`);
    db.close();
    expect(() => openServiceDb(file)).toThrow(ServiceSchemaTooNewError);
    db = new Database(file);
    expect(schemaVersion(db)).toBe(latestVersion() + 1);
  });
});
