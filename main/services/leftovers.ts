/**
 * Files a crash can leave in the data folder that hold a batch's ciphertext together with the
 * batch key wrapped for this device: a downloaded package waiting to be imported
 * (`checkout-*.earmark`). After the batch is erased such a file would still open with the
 * device key, so they are removed at every start and after every erase.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log/logger';

/** The names of leftovers: nothing else in the data folder is ever touched. */
export const LEFTOVER_PATTERNS: readonly RegExp[] = [/^checkout-[0-9a-f]+\.earmark$/];

/** Removes every leftover directly in `dataDir`; returns how many. Failures are logged, not thrown. */
export function sweepLeftovers(dataDir: string, logger: Logger): number {
  let names: string[];
  try {
    names = readdirSync(dataDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names.filter((n) => LEFTOVER_PATTERNS.some((p) => p.test(n)))) {
    try {
      rmSync(join(dataDir, name), { force: true });
      removed += 1;
    } catch (error) {
      logger.warn('leftovers: could not remove a file', { error: error instanceof Error ? error.name : 'unknown' });
    }
  }
  if (removed > 0) {
    logger.info('leftovers: removed files an earlier run left behind', { count: removed });
  }
  return removed;
}
