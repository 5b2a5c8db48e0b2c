import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMigrations, schemaVersion, type Migration } from '../../../core/sqlite/migration-runner';

type Db = InstanceType<typeof Database>;

const step = (version: number, sql: string): Migration<Db> => ({
  version,
  name: `step ${version}`,
  up: (db) => db.exec(sql),
});
const tooNew = (found: number, supported: number) => new Error(`newer: ${found} > ${supported}`);

describe('migration runner', () => {
  let db: Db;
  beforeEach(() => {
    db = new Database(':memory:');
  });
  afterEach(() => {
    db.close();
  });

  it('applies only the pending steps, in order, and records each version', () => {
    const steps = [step(2, 'ALTER TABLE t ADD COLUMN b TEXT'), step(1, 'CREATE TABLE t (a TEXT)')];
    expect(runMigrations(db, steps.slice(1), tooNew)).toEqual([1]);
    expect(runMigrations(db, steps, tooNew)).toEqual([2]);
    expect(runMigrations(db, steps, tooNew)).toEqual([]);
    expect(schemaVersion(db)).toBe(2);
  });

  it('rolls a failing step back with its version, keeping the steps before it', () => {
    const steps = [step(1, 'CREATE TABLE t (a TEXT)'), step(2, 'CREATE TABLE u (x); INSERT INTO nowhere VALUES (1)')];
    expect(() => runMigrations(db, steps, tooNew)).toThrow(/nowhere/);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'u'").all()).toEqual([]);
  });

  it('refuses a repeated number and a database from a newer build, changing nothing', () => {
    expect(() => runMigrations(db, [step(1, 'CREATE TABLE t (a)'), step(1, 'SELECT 1')], tooNew)).toThrow(
      /distinct whole numbers/,
    );
    expect(() => runMigrations(db, [step(0, 'CREATE TABLE t (a)')], tooNew)).toThrow(/distinct whole numbers/);
    db.pragma('user_version = 5');
    expect(() => runMigrations(db, [step(1, 'CREATE TABLE t (a)')], tooNew)).toThrow('newer: 5 > 1');
    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 't'").all()).toEqual([]);
  });

  it('applies numbers with a gap in order, the gap left for a step not yet written', () => {
    expect(runMigrations(db, [step(3, 'CREATE TABLE u (b)'), step(1, 'CREATE TABLE t (a)')], tooNew)).toEqual([1, 3]);
    expect(schemaVersion(db)).toBe(3);
  });
});
