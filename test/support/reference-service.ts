/**
 * The reference annotation service for tests: real HTTP on a free loopback port, a store of its
 * own (a SQLite file, or a fresh PostgreSQL database in the `service-pg` project:
 * test/support/test-store.ts), a clock the test turns, the demo reviewer, and batches of tiny
 * real WAV clips.
 *
 * Like the development service it approves no device by itself: it issues enrolment codes for
 * the demo reviewer, and `credentials()` carries one, so a workstation signing in with them is
 * approved as a managed desktop would be. The demo reviewer may hold several devices, so tests
 * that use more than one workstation keep working.
 */
import { join } from 'node:path';
import { generateDeviceKey, type DeviceKey } from '../../core/crypto/device-key';
import type { SignInRequest } from '../../shared/sync/messages';
import { CLI_SOURCE } from '../../service/audit';
import { enrolmentCodeHash, totpCode, TOTP_PERIOD_S } from '../../service/auth';
import { issueEnrolmentCode, issueEnrolmentCodes } from '../../service/enrolment-codes';
import { addAccount, addBatch, DEMO_REVIEWER, type SeedAccount } from '../../service/seed';
import { signedSignIn } from '../../main/services/sync/sync-steps';
import { createReferenceService, type ReferenceService, type ReferenceServiceOptions } from '../../service/server';
import type { Repositories, ServiceStore } from '../../service/store/repositories';
import { silentClips } from './packages';
import { makeTempDir } from './temp-dir';
import { newTestStoreTarget, openTestStoreAt, runOnTestStore } from './test-store';

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
  /** Sign-in details for the demo reviewer with a fresh code and an unused enrolment code. */
  credentials(): { account: string; password: string; totp: string; enrolmentCode: string };
  /** An enrolment code for the demo reviewer that has not been used yet. */
  enrolmentCode(): string;
  /** Issues a new enrolment code for `account` (as the operator `tests`). */
  issueEnrolmentCode(account?: string, ttlMs?: number): Promise<string>;
  /**
   * The body of `POST /v1/sessions`: a challenge from the service signed with `device` (a key
   * made for this service when not given), for `account` (the demo reviewer) with a fresh code.
   */
  signInBody(o?: {
    account?: SeedAccount;
    device?: DeviceKey;
    password?: string;
    totp?: string;
  }): Promise<SignInRequest>;
  /** The device key `signInBody` uses by default. */
  readonly device: DeviceKey;
  /** Adds an account of any role (operators too) with these secrets. */
  addAccount(a: SeedAccount, o?: { maxDevices?: number }): Promise<void>;
  /** Adds a batch of `clips` short silent WAV clips for the demo reviewer; returns its clip ids. */
  addBatch(batchId: string, clips: number): Promise<string[]>;
  /**
   * Runs one statement on the service's store directly (SQLite or PostgreSQL, `?` placeholders),
   * on a connection of its own: to read what it holds, or to change it as a restored backup would.
   */
  query<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** The service's SQLite file, for tests that damage it on purpose (none on PostgreSQL). */
  readonly dbFile: string;
  /**
   * Starts another service on the same store and clock, as a second process behind a load
   * balancer would be: its own HTTP server, store connection (pool) and upload gate. It stops with
   * this one. `wrapStore` wraps the store it is given; `clockAheadMs` sets its host's clock that
   * far ahead of this one's.
   */
  startSibling(o?: { wrapStore?: (store: ServiceStore) => ServiceStore; clockAheadMs?: number }): Promise<{
    readonly service: ReferenceService;
    readonly url: string;
  }>;
  stop(): Promise<void>;
};

export async function startTestService(
  o: {
    tokenTtlMs?: number;
    /** Further service options (logs, metrics token, trusted proxy header, TLS, fault playing). */
    options?: Omit<ReferenceServiceOptions, 'store' | 'now' | 'log' | 'tokenTtlMs'>;
    /** Wraps the store the service is given (to slow or break parts of it). */
    wrapStore?: (store: ServiceStore) => ServiceStore;
    /**
     * The service's clock runs with real time as a deployed service's does (`advance` still
     * moves it further). Left out, it stands still until a test turns it.
     */
    running?: boolean;
  } = {},
): Promise<TestService> {
  const tmp = makeTempDir('earmark-service-');
  const startedAt = performance.now();
  let turned = Date.now();
  const now = (): number => turned + (o.running ? Math.floor(performance.now() - startedAt) : 0);
  const requests: string[] = [];
  const dbFile = join(tmp.dir, 'service.db');
  // The enrolment codes the service has redeemed, as it redeems them, so `credentials()` hands
  // out an unused one without reading the database.
  const redeemed = new Set<string>();
  const target = await newTestStoreTarget(dbFile);
  const service = createReferenceService({
    store: (o.wrapStore ?? ((s: ServiceStore) => s))(noticingRedemptions(await openTestStoreAt(target), redeemed)),
    now,
    // Tests turn the fault switch directly; `options.playFaults: false` runs it as production does.
    playFaults: true,
    ...o.options,
    log: (line) => requests.push(line),
    ...(o.tokenTtlMs ? { tokenTtlMs: o.tokenTtlMs } : {}),
  });
  const add = (a: SeedAccount, o: { maxDevices?: number } = {}): Promise<void> => addAccount(service.core, a, o);
  const issue = async (account = DEMO_REVIEWER.account, ttlMs?: number): Promise<string> =>
    (await issueEnrolmentCode(service.core, { operator: 'tests', source: CLI_SOURCE }, account, ttlMs)).code;
  await add(DEMO_REVIEWER, { maxDevices: 8 });
  const { codes } = await issueEnrolmentCodes(
    service.core,
    { operator: 'tests', source: CLI_SOURCE },
    DEMO_REVIEWER.account,
    {
      count: 4,
    },
  );
  const url = await service.listen(0);
  const device = generateDeviceKey();
  const nextCode = (account: SeedAccount = DEMO_REVIEWER): string => {
    turned += TOTP_PERIOD_S * 1000;
    return totpCode(account.totpSecret, now());
  };
  const query = <T>(sql: string, ...params: unknown[]): Promise<T[]> => runOnTestStore<T>(target, sql, params);
  const siblings: ReferenceService[] = [];
  const unusedCode = (): string => {
    const code = codes.find((c) => !redeemed.has(enrolmentCodeHash(c).toString('hex')));
    if (!code) {
      throw new Error('Every enrolment code of the test service is used; issue another with issueEnrolmentCode().');
    }
    return code;
  };
  return {
    service,
    url,
    reviewer: DEMO_REVIEWER,
    requests,
    device,
    now,
    advance: (ms) => {
      turned += ms;
    },
    nextCode,
    credentials: () => ({
      account: DEMO_REVIEWER.account,
      password: DEMO_REVIEWER.password,
      totp: nextCode(),
      enrolmentCode: unusedCode(),
    }),
    enrolmentCode: unusedCode,
    issueEnrolmentCode: issue,
    addAccount: add,
    async signInBody(o = {}) {
      const account = o.account ?? DEMO_REVIEWER;
      const r = await fetch(`${url}/v1/sessions/challenge`, { method: 'POST' });
      const { challenge } = (await r.json()) as { challenge: string };
      return signedSignIn(
        o.device ?? device,
        { account: account.account, password: o.password ?? account.password, totp: o.totp ?? nextCode(account) },
        challenge,
      );
    },
    async addBatch(batchId, count) {
      const clips = silentClips(count);
      await addBatch(service.core, { batchId, assignedTo: DEMO_REVIEWER.account, clips });
      return clips.map((c) => c.details.id);
    },
    query,
    dbFile,
    async startSibling(s = {}) {
      const store = await openTestStoreAt(target);
      const sibling = createReferenceService({
        store: (s.wrapStore ?? ((x: ServiceStore) => x))(store),
        now: () => now() + (s.clockAheadMs ?? 0),
        playFaults: true,
        // One deployment: every process loads the same signing key file.
        signingKey: service.core.signingKey,
        ...o.options,
        ...(o.tokenTtlMs ? { tokenTtlMs: o.tokenTtlMs } : {}),
      });
      siblings.push(sibling);
      return { service: sibling, url: await sibling.listen(0) };
    },
    async stop() {
      await Promise.all(siblings.splice(0).map((s) => s.close()));
      await service.close();
      tmp.remove();
    },
  };
}

/** `store`, noting in `redeemed` the hash (hex) of every enrolment code it redeems. */
function noticingRedemptions(store: ServiceStore, redeemed: Set<string>): ServiceStore {
  const noticing = <R extends Pick<Repositories, 'enrolmentCodes'>>(repos: R): R => ({
    ...repos,
    enrolmentCodes: {
      ...repos.enrolmentCodes,
      async redeem(codeHash, account, now, usedBy) {
        const ok = await repos.enrolmentCodes.redeem(codeHash, account, now, usedBy);
        if (ok) {
          redeemed.add(codeHash.toString('hex'));
        }
        return ok;
      },
    },
  });
  return { ...noticing(store), transaction: (work) => store.transaction((tx) => work(noticing(tx))) };
}
