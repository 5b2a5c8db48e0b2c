/**
 * The reference annotation service for tests: real HTTP on a free loopback port, its own SQLite
 * file, a clock the test turns, the demo reviewer, and batches of tiny real WAV clips.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ClipDetails } from '../../shared/batch-package/manifest';
import { totpCode, TOTP_PERIOD_S } from '../../service/auth';
import { addAccount, addBatch, DEMO_REVIEWER, type SeedAccount } from '../../service/seed';
import { createReferenceService, type ReferenceService } from '../../service/server';
import { openSqliteServiceStore } from '../../service/store/sqlite/service-store';
import { silenceWav } from './packages';
import { makeTempDir } from './temp-dir';

export type TestService = {
  readonly service: ReferenceService;
  readonly url: string;
  readonly reviewer: SeedAccount;
  /** One line per request the service answered: `METHOD PATH STATUS`. */
  readonly requests: readonly string[];
  /** The service's clock; `advance` moves it. */
  now(): number;
  advance(ms: number): void;
  /**
   * A one-time code the service has not seen used: the service clock moves to the next TOTP
   * step first, as a reviewer signing in again a little later would find.
   */
  nextCode(account?: SeedAccount): string;
  /** Sign-in details for the demo reviewer with a fresh code. */
  credentials(): { account: string; password: string; totp: string };
  /** Adds a batch of `clips` short silent WAV clips for the demo reviewer; returns its clip ids. */
  addBatch(batchId: string, clips: number): Promise<string[]>;
  /** Reads the service's SQLite file directly, on a connection of its own, read-only. */
  query<T>(sql: string, ...params: unknown[]): T[];
  stop(): Promise<void>;
};

export async function startTestService(o: { tokenTtlMs?: number } = {}): Promise<TestService> {
  const tmp = makeTempDir('earmark-service-');
  let t = Date.now();
  const requests: string[] = [];
  const dbFile = join(tmp.dir, 'service.db');
  const service = createReferenceService({
    store: openSqliteServiceStore(dbFile),
    now: () => t,
    log: (line) => requests.push(line),
    ...(o.tokenTtlMs ? { tokenTtlMs: o.tokenTtlMs } : {}),
  });
  await addAccount(service.core, DEMO_REVIEWER);
  const url = await service.listen(0);
  const audio = silenceWav(300);
  const nextCode = (account: SeedAccount = DEMO_REVIEWER): string => {
    t += TOTP_PERIOD_S * 1000;
    return totpCode(account.totpSecret, t);
  };
  return {
    service,
    url,
    reviewer: DEMO_REVIEWER,
    requests,
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    nextCode,
    credentials: () => ({ account: DEMO_REVIEWER.account, password: DEMO_REVIEWER.password, totp: nextCode() }),
    async addBatch(batchId, count) {
      const clips = Array.from({ length: count }, (_, i) => {
        const details: ClipDetails = {
          id: `c-${String(i).padStart(4, '0')}`,
          durationMs: 300,
          codec: 'wav',
          asrText: `clip ${i}`,
          consent: 'granted',
        };
        return { details, audio };
      });
      await addBatch(service.core, { batchId, assignedTo: DEMO_REVIEWER.account, clips });
      return clips.map((c) => c.details.id);
    },
    query<T>(sql: string, ...params: unknown[]): T[] {
      const db = new Database(dbFile, { readonly: true, fileMustExist: true });
      try {
        return db.prepare<unknown[], T>(sql).all(...params);
      } finally {
        db.close();
      }
    },
    async stop() {
      await service.close();
      tmp.remove();
    },
  };
}
