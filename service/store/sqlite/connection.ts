/**
 * Opens the service's SQLite database: WAL with synchronous=FULL, so an acknowledged upload
 * survives power loss, foreign keys and secure_delete on, and the schema migrated to this
 * build's version.
 */
import Database from 'better-sqlite3';
import { migrate } from './migrate';

/** Opens (creating and migrating) the database at `file`; ':memory:' works too. */
export function openServiceDb(file: string): Database.Database {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Erased content (a withdrawn clip's audio, text and notes) is overwritten, not left in free pages.
    db.pragma('secure_delete = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
