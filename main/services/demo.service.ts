/**
 * Demo mode's work: with no annotation service, the app makes a batch from the recordings bundled
 * in resources/demo, packed for this workstation's own device key by the same code as
 * `batch pack` and imported through the normal import. No key is shipped and nothing about the
 * production key handling changes.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportReport } from '../../shared/domain/batch';
import type { BatchRepository } from '../db/repositories/batch.repository';
import type { Logger } from '../log/logger';
import { parseClipsTsv } from '../../core/package/clips-tsv';
import { packFromFolder } from '../../core/package/pack-from-folder';
import type { TrustedClock } from './trusted-clock';
import type { VaultService } from './vault.service';

export const DEMO_BATCH_DAYS = 30;

export type DemoDeps = {
  /** The folder holding demo/clips.tsv and demo/clips/; absent in builds without demo data. */
  readonly resourcesDir: string | undefined;
  readonly dataDir: string;
  readonly vault: VaultService;
  readonly batches: BatchRepository;
  readonly clock: TrustedClock;
  readonly logger: Logger;
};

export function createDemoService(d: DemoDeps) {
  return {
    /** Makes a fresh demo batch when no batch is active; returns its import report, if one was made. */
    ensureDemoBatch(): ImportReport | undefined {
      d.vault.expireDue();
      if (!d.resourcesDir || d.batches.list().some((b) => b.status === 'active')) {
        return undefined;
      }
      const demoDir = join(d.resourcesDir, 'demo');
      const listFile = join(demoDir, 'clips.tsv');
      if (!existsSync(listFile)) {
        d.logger.warn('demo: no bundled demo clips; starting with no batch');
        return undefined;
      }
      // Only ciphertext is written here, and only for as long as the import takes.
      const tmp = join(d.dataDir, `demo-${randomBytes(4).toString('hex')}.earmark`);
      try {
        packFromFolder({
          audioDir: join(demoDir, 'clips'),
          list: parseClipsTsv(readFileSync(listFile, 'utf8')),
          recipient: d.vault.deviceKey().publicKey,
          out: tmp,
          now: new Date(d.clock.now()),
          expiresInDays: DEMO_BATCH_DAYS,
        });
        return d.vault.importPackage(tmp);
      } finally {
        rmSync(tmp, { force: true });
      }
    },
  };
}

export type DemoService = ReturnType<typeof createDemoService>;
