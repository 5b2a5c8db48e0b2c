import Database from 'better-sqlite3';
import { closeSync, cpSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refuseDamagedDatabase, type RescueDialog } from '../../../main/app/unsent-rescue-dialog';
import { DatabaseCorruptError } from '../../../main/db/integrity';
import { silentLogger } from '../../../main/log/logger';
import { createServices } from '../../../main/services';
import { rescueUnsent, unsentAuthors } from '../../../main/services/unsent-rescue';
import { addBatch, DEMO_REVIEWER } from '../../../service/seed';
import type { ResultsImportResponse } from '../../../shared/sync/messages';
import { silentClips } from '../../support/packages';
import { startTestService, type TestService } from '../../support/reference-service';
import { SECOND_REVIEWER } from '../../support/second-reviewer';
import { makeServices, type ServicesEnv } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { testKeyStore } from '../../support/test-safe-storage';

const BATCH = 'b-AAAAAAAAAAAA0FF1';
const body = (text: string) => ({ transcript: text, critical: [], entities: [] });

/** Overwrites the first page of the b-tree `name` with a pattern, as a bad sector might. */
function damage(file: string, name: string): void {
  const db = new Database(file, { fileMustExist: true });
  // A newer copy of the page in a WAL beside the file would hide the damage: whatever a WAL
  // holds goes into the file first (the tests copy a closed database, so there should be none).
  const [checkpoint] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
  if (checkpoint?.busy !== 0) {
    throw new Error('The copied database could not be checkpointed before the damage.');
  }
  const page = db
    .prepare<[string], { rootpage: number }>('SELECT rootpage FROM sqlite_master WHERE name = ?')
    .get(name);
  db.close();
  if (!page) {
    throw new Error(`No b-tree named ${name}.`);
  }
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, (page.rootpage - 1) * 4096);
  } finally {
    closeSync(fd);
  }
}

/** A scripted dialog: answers the first message box with `choice` and the folder chooser with `folder`. */
function scriptedDialog(choice: number, folder: string | null) {
  const shown: string[] = [];
  const dialog: RescueDialog = {
    showErrorBox: (title, content) => shown.push(`error: ${title}: ${content}`),
    showMessageBox: (options) => {
      shown.push(`${options.type}: ${options.message}: ${options.detail}: ${options.buttons.join('|')}`);
      return Promise.resolve({ response: options.type === 'error' ? choice : 0 });
    },
    showOpenDialog: () =>
      Promise.resolve(folder ? { canceled: false, filePaths: [folder] } : { canceled: true, filePaths: [] }),
  };
  return { dialog, shown };
}

describe('the start-up box for a damaged database', () => {
  it('refuses as before when no unsent work can be read', async () => {
    const tmp = makeTempDir('earmark-rescue-none-');
    const { dialog, shown } = scriptedDialog(0, tmp.dir);
    await refuseDamagedDatabase(
      { dialog, logger: silentLogger, title: 'The review database is damaged', message: 'Tell your supervisor.' },
      { dbFile: join(tmp.dir, 'missing.db'), deviceKey: () => testKeyStore(tmp.dir).loadOrCreateDeviceKey(), now: 0 },
    );
    expect(shown).toEqual(['error: The review database is damaged: Tell your supervisor.']);
    tmp.remove();
  });
});

describe('unsent work out of a damaged database', () => {
  let svc: TestService;
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  let offline: boolean;
  let clips: string[];

  beforeEach(async () => {
    svc = await startTestService();
    clips = await svc.addBatch(BATCH, 3);
    offline = false;
    const station: typeof fetch = (input, init) =>
      offline ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
    env = makeServices({ serviceUrl: svc.url, sync: { fetch: station } });
    tmp = makeTempDir('earmark-rescue-');
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    offline = true;
  });
  afterEach(async () => {
    env.reopen();
    env.dispose();
    tmp.remove();
    await svc.stop();
  });

  it('writes the unsynced annotations of a file that fails its check as a package the service accepts', async () => {
    const done = clips.slice(0, 2).map((clipId, i) =>
      env.services.annotations.submit({
        batchId: BATCH,
        clipId,
        basedOnRevision: 0,
        disposition: 'transcribed',
        body: body(`unsent words ${i}`),
      }),
    );
    const escalation = env.services.annotations.escalate({
      batchId: BATCH,
      clipId: clips[0] ?? '',
      category: 'self_harm',
      note: 'call back',
    });
    // As the app quits: the import worker and its checkpointer close their connections first, so
    // main's is the last and the file is whole, its WAL moved in, before it is copied.
    await env.services.endWorkers();
    env.services.close();
    // A copy of the data folder takes the damage; the original goes on to be cleaned up.
    const dataDir = join(tmp.dir, 'copy');
    cpSync(env.dataDir, dataDir, { recursive: true });
    const dbFile = join(dataDir, 'earmark.db');
    damage(dbFile, 'clips');
    expect(() =>
      createServices({ dataDir, appVersion: '0.0.0-test', logger: silentLogger, keyStore: testKeyStore(dataDir) }),
    ).toThrow(DatabaseCorruptError);
    const before = readFileSync(dbFile);

    expect(unsentAuthors({ dbFile })).toBe(1);
    const report = rescueUnsent(
      { dbFile, deviceKey: () => testKeyStore(dataDir).loadOrCreateDeviceKey(), now: Date.now() },
      tmp.dir,
    );
    expect(report.unreadable).toBe(0);
    expect(report.packages).toHaveLength(1);
    expect(report.packages[0]?.ops).toBeGreaterThanOrEqual(3);
    // Nothing was written to the damaged file, and nothing of the work is readable in the package.
    expect(readFileSync(dbFile).equals(before)).toBe(true);
    const bytes = readFileSync(report.packages[0]?.file ?? '');
    expect(bytes.includes(Buffer.from('unsent words'))).toBe(false);

    const session = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await svc.signInBody({ device: testKeyStore(dataDir).loadOrCreateDeviceKey() })),
    });
    const { token } = (await session.json()) as { token: string };
    const upload = await fetch(`${svc.url}/v1/results-packages`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.earmark.package', authorization: `Bearer ${token}` },
      body: new Uint8Array(bytes),
    });
    expect(upload.status).toBe(200);
    const answer = (await upload.json()) as ResultsImportResponse;
    expect(answer.results.map((r) => [r.opId, r.outcome])).toEqual(
      expect.arrayContaining([
        [done[0]?.opId, 'stored'],
        [done[1]?.opId, 'stored'],
        [escalation.id, 'stored'],
      ]),
    );
    expect((await svc.service.core.store.ops.current(BATCH)).map((c) => c.opId).sort()).toEqual(
      done.map((a) => a.opId).sort(),
    );

    // The start-up box says so and, asked to, saves the same work into the folder chosen.
    const saved = join(tmp.dir, 'chosen');
    mkdirSync(saved);
    const { dialog, shown } = scriptedDialog(0, saved);
    const rescue = { dbFile, deviceKey: () => testKeyStore(dataDir).loadOrCreateDeviceKey(), now: Date.now() };
    await refuseDamagedDatabase(
      { dialog, logger: silentLogger, title: 'The review database is damaged', message: 'Tell your supervisor.' },
      rescue,
    );
    expect(shown[0]).toMatch(
      /^error: The review database is damaged: .*not reached the annotation service.*Save unsent work…\|Quit$/s,
    );
    expect(shown[1]).toMatch(/^info: 3 saved items of work written to:/);
    expect(readdirSync(saved)).toEqual([expect.stringMatching(/^earmark-unsent-.*\.earmark-results$/)]);
  });

  it('still writes the unsent ops when the table of clip figures is the one damaged', async () => {
    env.services.annotations.submit({
      batchId: BATCH,
      clipId: clips[0] ?? '',
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: body('unsent words'),
    });
    // As the app quits: the import worker and its checkpointer close their connections first, so
    // main's is the last and the file is whole, its WAL moved in, before it is copied.
    await env.services.endWorkers();
    env.services.close();
    const dataDir = join(tmp.dir, 'copy');
    cpSync(env.dataDir, dataDir, { recursive: true });
    const dbFile = join(dataDir, 'earmark.db');
    damage(dbFile, 'clip_metrics');

    expect(unsentAuthors({ dbFile })).toBe(1);
    const report = rescueUnsent(
      { dbFile, deviceKey: () => testKeyStore(dataDir).loadOrCreateDeviceKey(), now: Date.now() },
      tmp.dir,
    );
    expect(report.packages).toHaveLength(1);
    expect(report.packages[0]?.ops).toBeGreaterThanOrEqual(1);
    // The clip's figures could not be read, and are counted as such.
    expect(report.unreadable).toBeGreaterThanOrEqual(1);
  });
});

const BATCH_A = 'b-AAAAAAAAAARESC0E';
const BATCH_B = 'b-BBBBBBBBBBRESC0E';
const REVIEWER_B = SECOND_REVIEWER;

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
    // As the app quits: the import worker and its checkpointer close their connections first, so
    // main's is the last and the file is whole, its WAL moved in, before it is copied.
    await env.services.endWorkers();
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
