/**
 * A workstation database on a temporary file at the schema just before one migration, for a
 * test that writes rows as older versions left them and then runs that migration.
 */
import { join } from 'node:path';
import { openConnection, type Connection } from '../../main/db/connection';
import { migrate } from '../../main/db/migrate';
import { migrations } from '../../main/db/migrations';
import { makeTempDir } from './temp-dir';

export type DatabaseBefore = {
  readonly db: Connection;
  /** Runs the migrations up to and including the one under test; returns the versions it ran. */
  upgrade(): number[];
  close(): void;
};

export function databaseBefore(version: number): DatabaseBefore {
  const tmp = makeTempDir();
  const db = openConnection(join(tmp.dir, 'test.db'));
  migrate(
    db,
    migrations.filter((m) => m.version < version),
  );
  return {
    db,
    upgrade: () =>
      migrate(
        db,
        migrations.filter((m) => m.version <= version),
      ),
    close: () => {
      db.close();
      tmp.remove();
    },
  };
}
