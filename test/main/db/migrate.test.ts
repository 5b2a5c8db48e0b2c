import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../main/db/connection';
import { latestVersion, migrate, SchemaTooNewError, schemaVersion } from '../../../main/db/migrate';
import { migrations } from '../../../main/db/migrations';
import { makeTempDir } from '../../support/temp-dir';

describe('migrations runner', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
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

  it('refuses a database from a newer schema and leaves it untouched', () => {
    migrate(db);
    db.pragma(`user_version = ${latestVersion() + 1}`);
    expect(() => migrate(db)).toThrow(SchemaTooNewError);
    expect(schemaVersion(db)).toBe(latestVersion() + 1);
  });

  it('rolls back a migration that fails half-way', () => {
    const failing = [
      ...migrations,
      {
        version: latestVersion() + 1,
        name: 'broken',
        up: (c: Connection) => {
          c.exec('CREATE TABLE half_done (x INTEGER) STRICT');
          c.exec('THIS IS NOT SQL');
        },
      },
    ];
    expect(() => migrate(db, failing)).toThrow();
    expect(schemaVersion(db)).toBe(latestVersion());
    const table = db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").get();
    expect(table).toBeUndefined();
  });

  it('rejects a repeated number', () => {
    const repeated = [
      { version: 1, name: 'one', up: () => undefined },
      { version: 1, name: 'again', up: () => undefined },
    ];
    expect(() => migrate(db, repeated)).toThrow(/distinct whole numbers/);
  });

  it('opens with WAL, synchronous FULL, foreign keys and secure_delete', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('secure_delete', { simple: true })).toBe(1);
  });
});
