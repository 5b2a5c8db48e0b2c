/**
 * The one way to open the database. Every connection gets the same pragmas: WAL with
 * synchronous=FULL so an acknowledged save survives power loss, foreign keys on, and
 * secure_delete so purged rows are overwritten rather than left in free pages. A new database is
 * made with incremental auto-vacuum, so the pages of an erased batch can be given back to the
 * disk (`incremental_vacuum` after each erase) instead of keeping the file at its largest.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';

export type Connection = Db;

export type OpenOptions = {
  /** Absolute path of the native addon; set when running under Electron's ABI. */
  readonly nativeBinding?: string;
  readonly readonly?: boolean;
  /** Refuse to open a file that is not there rather than create an empty database. */
  readonly fileMustExist?: boolean;
  /**
   * This connection's page cache, in KiB (SQLite's default is about 2,000). A connection that
   * only appends needs little: what it writes goes to the WAL at each commit, or earlier once
   * the cache is full, and every page of cache it fills is memory it allocates.
   */
  readonly cacheKib?: number;
};

/** A page cache size SQLite takes as given: a whole number of KiB, at least 1 and at most 1 GiB. */
function checkedCacheKib(kib: number): number {
  if (!Number.isSafeInteger(kib) || kib < 1 || kib > 1024 * 1024) {
    throw new RangeError(`A page cache of ${kib} KiB cannot be set: give a whole number from 1 to 1,048,576.`);
  }
  return kib;
}

/** Opens (creating if needed, unless `fileMustExist`) the database at `file` with the house pragmas applied. */
export function openConnection(file: string, options: OpenOptions = {}): Connection {
  // Checked before the file is opened, so a wrong size leaves nothing behind.
  const cacheKib = options.cacheKib === undefined ? undefined : checkedCacheKib(options.cacheKib);
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.fileMustExist ?? false,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    // Takes effect only while the file holds no page yet (a new database). Asked of an existing
    // file it rewrites the header, which must not happen before the start-up check has read it.
    if (!(options.readonly ?? false) && db.pragma('page_count', { simple: true }) === 0) {
      db.pragma('auto_vacuum = INCREMENTAL');
      // SQLite's default, said out loud: sealed columns are read joined as text (sealed-columns.ts).
      db.pragma("encoding = 'UTF-8'");
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('secure_delete = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('trusted_schema = OFF');
    if (cacheKib !== undefined) {
      db.pragma(`cache_size = -${cacheKib}`);
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Copies into the database file what the WAL holds and no reader still needs, syncing both.
 * PASSIVE: it takes no write lock and waits for none, so it can run beside other connections'
 * writes; it returns at once when another checkpoint is running.
 */
export function checkpointWal(db: Connection): void {
  db.pragma('wal_checkpoint(PASSIVE)');
}
