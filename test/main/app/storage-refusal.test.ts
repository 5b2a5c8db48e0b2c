import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { storageRefusal } from '../../../main/app/storage-refusal';
import { DatabaseCorruptError } from '../../../main/db/integrity';

describe('start refused by the disk', () => {
  it('names a damaged database, says nothing was stored, and where the data is', () => {
    const refusal = storageRefusal(
      new DatabaseCorruptError(['Tree 12 page 12: btreeInitPage() returns error code 11']),
      '/data',
    );
    expect(refusal?.title).toBe('The review database is damaged');
    expect(refusal?.message).toMatch(/no new work is stored/);
    expect(refusal?.message).toContain('/data');
    expect(refusal?.message).not.toMatch(/work is safe/);
  });

  it('names a full disk by its own words', () => {
    expect(storageRefusal(new Database.SqliteError('full', 'SQLITE_FULL'), '/data')?.title).toBe('The disk is full');
  });

  it('leaves any other failure to the generic box', () => {
    expect(storageRefusal(new Error('key store locked'), '/data')).toBeUndefined();
  });
});
