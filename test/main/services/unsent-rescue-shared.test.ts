/**
 * A damaged database on a workstation two reviewers share: each reviewer's rescued package holds
 * their own timing rows, so the service files each reviewer's shift and clip figures under them.
 */
import Database from 'better-sqlite3';
import { closeSync, cpSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rescueUnsent } from '../../../main/services/unsent-rescue';
import { addBatch, DEMO_REVIEWER, type SeedAccount } from '../../../service/seed';
import { silentClips } from '../../support/packages';
import { startTestService, type TestService } from '../../support/reference-service';
import { makeServices, type ServicesEnv } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { testKeyStore } from '../../support/test-safe-storage';

const BATCH_A = 'b-AAAAAAAAAARESC0E';
const BATCH_B = 'b-BBBBBBBBBBRESC0E';
const REVIEWER_B: SeedAccount = {
  account: 'reviewer-b',
  password: 'password of reviewer-b',
  totpSecret: DEMO_REVIEWER.totpSecret,
  pseudonym: 'rv-b',
  role: 'reviewer',
};
const body = (text: string) => ({ transcript: text, critical: [], entities: [] });

/** Overwrites the first page of the b-tree `name`, as a bad sector might. */
function damage(file: string, name: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const page = db
    .prepare<[string], { rootpage: number }>('SELECT rootpage FROM sqlite_master WHERE name = ?')
    .get(name);
  db.close();
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, ((page?.rootpage ?? 1) - 1) * 4096);
  } finally {
    closeSync(fd);
  }
}

describe('unsent work of two reviewers out of one damaged database', () => {
  let svc: TestService;
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  let reachable: boolean;
  let clipsA: string[];
  let clipsB: string[];

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addAccount(REVIEWER_B, { maxDevices: 4 });
    clipsA = await svc.addBatch(BATCH_A, 2);
    const b = silentClips(2);
    await addBatch(svc.service.core, { batchId: BATCH_B, assignedTo: REVIEWER_B.account, clips: b });
    clipsB = b.map((c) => c.details.id);
    reachable = true;
    env = makeServices({
      serviceUrl: svc.url,
      sync: {
        fetch: (input, init) => (reachable ? fetch(input, init) : Promise.reject(new TypeError('fetch failed'))),
      },
    });
    tmp = makeTempDir('earmark-rescue-shared-');
  });
  afterEach(async () => {
    env.reopen();
    env.dispose();
    tmp.remove();
    await svc.stop();
  });

  /** Signs in, checks the reviewer's batch out, then submits one clip with the service out of reach. */
  const workOffline = async (batchId: string, clipId: string): Promise<void> => {
    reachable = true;
    await env.services.sync.syncNow();
    reachable = false;
    env.services.annotations.submit({
      batchId,
      clipId,
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: body('unsent'),
    });
  };

  it("files each reviewer's shift and clip figures under that reviewer", async () => {
    await env.services.sync.signIn(svc.credentials());
    await workOffline(BATCH_A, clipsA[0] ?? '');
    await env.services.sync.signOut();
    reachable = true;
    await env.services.sync.signIn({
      account: REVIEWER_B.account,
      password: REVIEWER_B.password,
      totp: svc.nextCode(REVIEWER_B),
      enrolmentCode: await svc.issueEnrolmentCode(REVIEWER_B.account),
    });
    await workOffline(BATCH_B, clipsB[0] ?? '');
    env.services.close();

    const dataDir = join(tmp.dir, 'copy');
    cpSync(env.dataDir, dataDir, { recursive: true });
    const dbFile = join(dataDir, 'earmark.db');
    damage(dbFile, 'clips');
    const device = testKeyStore(dataDir).loadOrCreateDeviceKey();
    const report = rescueUnsent({ dbFile, deviceKey: () => device, now: Date.now() }, tmp.dir);
    expect(report.packages.map((p) => p.author).sort()).toEqual([DEMO_REVIEWER.pseudonym, REVIEWER_B.pseudonym].sort());

    const accountOf = new Map([
      [DEMO_REVIEWER.pseudonym, DEMO_REVIEWER],
      [REVIEWER_B.pseudonym, REVIEWER_B],
    ]);
    for (const p of report.packages) {
      const account = accountOf.get(p.author);
      const session = await fetch(`${svc.url}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(await svc.signInBody({ device, ...(account ? { account } : {}) })),
      });
      const { token } = (await session.json()) as { token: string };
      const upload = await fetch(`${svc.url}/v1/results-packages`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.earmark.package', authorization: `Bearer ${token}` },
        body: new Uint8Array(readFileSync(p.file)),
      });
      expect(upload.status).toBe(200);
    }
    const filed = await svc.query<{ account: string; kind: string; body: string }>(
      "SELECT account, kind, body FROM timing_records WHERE kind IN ('shift', 'clip') ORDER BY account, kind",
    );
    const seen = filed.map((r) => {
      const values = JSON.parse(r.body) as { pseudonym?: string; batchId?: string };
      return [r.account, r.kind, values.pseudonym ?? values.batchId];
    });
    expect(seen).toEqual(
      expect.arrayContaining([
        [DEMO_REVIEWER.account, 'clip', BATCH_A],
        [REVIEWER_B.account, 'clip', BATCH_B],
      ]),
    );
    // Nothing of one reviewer's filed under the other.
    expect(
      seen.filter(
        ([account, , what]) => account === DEMO_REVIEWER.account && (what === BATCH_B || what === REVIEWER_B.pseudonym),
      ),
    ).toEqual([]);
    expect(
      seen.filter(
        ([account, , what]) => account === REVIEWER_B.account && (what === BATCH_A || what === DEMO_REVIEWER.pseudonym),
      ),
    ).toEqual([]);
  });
});
