import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection } from '../../../main/db/connection';
import { openDatabase, type AppDatabase } from '../../../main/db/database';
import { latestVersion, SchemaTooNewError } from '../../../main/db/migrate';
import { makeTempDir } from '../../support/temp-dir';

describe('openDatabase', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: AppDatabase | undefined;

  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => {
    db?.close();
    db = undefined;
    tmp.remove();
  });

  it('stores and lists batches through the repository', () => {
    db = openDatabase(join(tmp.dir, 'a.db'));
    db.batches.insert({
      id: 'b-AAAAAAAAAAAAAAA2',
      locale: 'es-ES',
      clipCount: 4,
      createdAt: 1,
      expiresAt: 9,
      importedAt: 2,
    });
    db.batches.insert({
      id: 'b-AAAAAAAAAAAAAAA1',
      locale: 'en-US',
      clipCount: 12,
      createdAt: 1,
      expiresAt: 8,
      importedAt: 1,
    });
    expect(db.batches.list().map((b) => b.id)).toEqual(['b-AAAAAAAAAAAAAAA1', 'b-AAAAAAAAAAAAAAA2']);
    expect(db.batches.find('b-AAAAAAAAAAAAAAA2')).toEqual({
      id: 'b-AAAAAAAAAAAAAAA2',
      locale: 'es-ES',
      clipCount: 4,
      doneCount: 0,
      withheld: { consentWithdrawn: 0, quarantined: 0 },
      expiresAt: 9,
      status: 'active',
    });
    expect(db.batches.find('nope')).toBeUndefined();
  });

  it('keeps settings across a reopen', () => {
    const file = join(tmp.dir, 'b.db');
    const first = openDatabase(file);
    first.settings.set('sync.enrolled', 'v1');
    first.settings.set('sync.enrolled', 'v2');
    first.close();
    db = openDatabase(file);
    expect(db.settings.get('sync.enrolled')).toBe('v2');
    expect(db.settings.get('demo.pseudonym')).toBeUndefined();
  });

  it('refuses a file written by a newer schema with a message that says what to do', () => {
    const file = join(tmp.dir, 'c.db');
    const raw = openConnection(file);
    raw.pragma(`user_version = ${latestVersion() + 5}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer Earmark/);
  });
});
