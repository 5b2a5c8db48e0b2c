import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh private folder for one test, and the function that removes it. Removal retries on
 * ENOTEMPTY and EBUSY: a worker thread's database connection (the import worker, its
 * checkpointer) may still be closing, and so creating or deleting its `-wal` and `-shm` files,
 * for a moment after the services that started it were closed.
 */
export function makeTempDir(prefix = 'earmark-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }) };
}
