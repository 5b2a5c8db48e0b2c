import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../../main/db/database';
import { queryDb } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';

describe('unit of work', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: AppDatabase;
  const file = () => join(tmp.dir, 'earmark.db');
  /** What a second connection sees: only committed rows. */
  const committed = (key: string): string[] =>
    queryDb<{ value: string }>(tmp.dir, 'SELECT value FROM settings WHERE key = ?', key).map((r) => r.value);

  beforeEach(() => {
    tmp = makeTempDir('earmark-uow-');
    db = openDatabase(file());
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('commits writes through several repositories together, or none of them', () => {
    expect(() =>
      db.unitOfWork.run(() => {
        db.settings.set('demo.pseudonym', '1');
        db.batches.insert({
          id: 'b-AAAAAAAAAAAAAAA1',
          locale: 'en-US',
          clipCount: 1,
          createdAt: 1,
          expiresAt: 9,
          importedAt: 1,
        });
        throw new Error('crash in the middle');
      }),
    ).toThrow('crash in the middle');
    expect(db.settings.get('demo.pseudonym')).toBeUndefined();
    expect(db.batches.find('b-AAAAAAAAAAAAAAA1')).toBeUndefined();

    const result = db.unitOfWork.run(() => {
      db.settings.set('demo.pseudonym', '2');
      return 'done';
    });
    expect(result).toBe('done');
    expect(committed('demo.pseudonym')).toEqual(['2']);
  });

  it('calls back after the commit, once, and never after a rollback', () => {
    const seen: string[][] = [];
    db.unitOfWork.run(() => {
      db.settings.set('demo.pseudonym', 'saved');
      db.unitOfWork.afterCommit(() => seen.push(committed('demo.pseudonym')));
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual([['saved']]);

    expect(() =>
      db.unitOfWork.run(() => {
        db.unitOfWork.afterCommit(() => seen.push(['rolled back']));
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(seen).toEqual([['saved']]);
  });

  it('drops what a savepoint queued when it rolls back, and keeps what the outer run queued', () => {
    const seen: string[] = [];
    db.unitOfWork.run(() => {
      db.unitOfWork.afterCommit(() => seen.push('outer'));
      expect(() =>
        db.unitOfWork.run(() => {
          db.settings.set('demo.pseudonym', 'x');
          db.unitOfWork.afterCommit(() => seen.push('inner, rolled back'));
          throw new Error('inner fails');
        }),
      ).toThrow('inner fails');
      db.unitOfWork.run(() => db.unitOfWork.afterCommit(() => seen.push('inner, kept')));
      // Nothing leaves before the outermost commit.
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual(['outer', 'inner, kept']);
    expect(db.settings.get('demo.pseudonym')).toBeUndefined();
  });

  it('calls back at once outside a transaction', () => {
    const seen: number[] = [];
    db.unitOfWork.afterCommit(() => seen.push(1));
    expect(seen).toEqual([1]);
  });

  it('runs every callback even when one throws, then throws the first error; the work stays saved', () => {
    const seen: string[] = [];
    expect(() =>
      db.unitOfWork.run(() => {
        db.settings.set('demo.pseudonym', 'kept');
        db.unitOfWork.afterCommit(() => {
          throw new Error('first listener fails');
        });
        db.unitOfWork.afterCommit(() => seen.push('second'));
      }),
    ).toThrow('first listener fails');
    expect(seen).toEqual(['second']);
    expect(committed('demo.pseudonym')).toEqual(['kept']);
  });
});
