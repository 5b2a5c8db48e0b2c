/**
 * An insider with a valid password, a one-time code, an enrolled key and raw HTTP, attacking the
 * upload endpoints: every attempt is refused with its own code, nothing is stored, the refusal
 * is in the service's audit trail, and an oversized or unauthenticated body is refused before it
 * is read (counted in bytes read, not in time). Large uploads are bounded per process and per
 * account while their body is read, then across every process on the store and per account while
 * they are decrypted and stored; a store slot is renewed while held and given back on every path,
 * shutdown included, and a failure to give it back never changes the answer.
 */
import { randomUUID } from 'node:crypto';
import { request, type IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateDeviceKey, type DeviceKey } from '../../core/crypto/device-key';
import { deriveSigningKey, signBytes } from '../../core/crypto/signing-key';
import { buildResultsPackage } from '../../core/package/results-package';
import type { AnnotationOp } from '../../shared/sync/messages';
import { MAX_RESULTS_PACKAGE_BYTES } from '../../shared/sync/protocol';
import {
  RESULTS_MAX_BODY_BYTES,
  RESULTS_PREAMBLE_BYTES,
  RESULTS_SIGNATURE_BYTES,
} from '../../shared/sync/results-package';
import { LARGE_UPLOAD_RETRY_AFTER_S, MAX_LARGE_UPLOADS } from '../../service/upload-gate';
import { LARGE_UPLOAD_LEASE_MS, LARGE_UPLOAD_RENEW_MS, MAX_STORE_LARGE_UPLOADS } from '../../service/upload-leases';
import type { Core } from '../../service/core';
import type { ServiceLog } from '../../service/service-log';
import { addAccount, type SeedAccount } from '../../service/seed';
import type { ServiceStore } from '../../service/store/repositories';
import type { UploadGate } from '../../service/upload-gate';
import { testRowId } from '../support/ids';
import { startTestService, type TestService } from '../support/reference-service';
import { testStoreKind } from '../support/test-store';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';

type Answer = { status: number; headers: IncomingHttpHeaders; body: { error?: { code: string; message: string } } };

/** A request whose body the test writes piece by piece; `answer` settles when the service replies. */
type OpenUpload = {
  write(bytes: Buffer): void;
  end(bytes?: Buffer): void;
  abort(): void;
  answer: Promise<Answer>;
};

const OTHER: SeedAccount = {
  account: 'other',
  password: 'another reviewer password',
  totpSecret: 'EARMARKOTHERREVIEWER234567234567',
  pseudonym: 'rv-0ther1',
  role: 'reviewer',
};

const THIRD: SeedAccount = {
  account: 'third',
  password: 'a third reviewer password',
  totpSecret: 'EARMARKTHIRDREVIEWER234567234567',
  pseudonym: 'rv-th1rd',
  role: 'reviewer',
};

/** Resolves once `gate` has `n` slots taken (at once, if it has already). */
const untilActive = (gate: UploadGate, n: number): Promise<void> =>
  new Promise((resolve) => {
    if (gate.active === n) {
      resolve();
      return;
    }
    const stop = gate.onChange((active) => {
      if (active === n) {
        stop();
        resolve();
      }
    });
  });

/**
 * Counts the store slots handed out and the renewals made through every service of a test, so a
 * test waits for a count rather than a time; `failRelease` makes giving a slot back throw, as a
 * store that cannot be reached would, and `holdAcquire` keeps the answer of the next slot taken
 * until its `letGo`, as a slow database would.
 */
function slotCounter() {
  let taken = 0;
  let renewing = 0;
  let renewed = 0;
  let acquireHeld: { arrived: () => void; go: Promise<void> } | undefined;
  let waiting: { n: number; of: () => number; resolve: () => void }[] = [];
  const changed = (): void => {
    waiting = waiting.filter((w) => (w.n <= w.of() ? (w.resolve(), false) : true));
  };
  const until = (n: number, of: () => number): Promise<void> =>
    new Promise((resolve) => (n <= of() ? resolve() : waiting.push({ n, of, resolve })));
  const counter = {
    failRelease: false,
    /** `store`, counting each store slot it hands out and each renewal. */
    wrap: (store: ServiceStore): ServiceStore => ({
      ...store,
      uploadSlots: {
        ...store.uploadSlots,
        async acquire(c) {
          const outcome = await store.uploadSlots.acquire(c);
          if (outcome === 'taken') {
            taken += 1;
            changed();
            const holding = acquireHeld;
            acquireHeld = undefined;
            if (holding) {
              holding.arrived();
              await holding.go;
            }
          }
          return outcome;
        },
        async renew(r) {
          renewing += 1;
          const done = await store.uploadSlots.renew(r);
          renewed += 1;
          changed();
          return done;
        },
        async release(holder) {
          if (counter.failRelease) {
            throw new Error('The database is gone.');
          }
          return store.uploadSlots.release(holder);
        },
      },
    }),
    /** Resolves once `n` slots have been handed out since the test began. */
    until: (n: number): Promise<void> => until(n, () => taken),
    /** Resolves once `n` renewals have been made since the test began, and their callers have seen the answer. */
    untilRenewed: async (n: number): Promise<void> => {
      await until(n, () => renewed);
      await new Promise((resolve) => setImmediate(resolve));
    },
    /** Resolves once every renewal begun has been made, and its caller has seen the answer. */
    untilRenewalsDone: (): Promise<void> => counter.untilRenewed(renewing),
    renewals: (): number => renewed,
    /**
     * Holds back the answer of the next slot taken (it is in the store already): `arrived`
     * resolves once it is taken, `letGo` passes the answer on.
     */
    holdAcquire: () => {
      let letGo = (): void => undefined;
      const go = new Promise<void>((resolve) => (letGo = resolve));
      const arrived = new Promise<void>((resolve) => (acquireHeld = { arrived: resolve, go }));
      return { arrived, letGo };
    },
  };
  return counter;
}

/**
 * Holds uploads that have taken their store slot at their decrypting (when they ask for the
 * service key), `hold(n)` at a time, until `letGo()` lets the first `n` held go on (all when not
 * given); others pass. Packages are built first, as building one asks for the key too.
 */
function decryptGate(...cores: Core[]) {
  let armed = 0;
  let arrived = 0;
  const held: (() => void)[] = [];
  let waiting: { n: number; resolve: () => void }[] = [];
  for (const core of cores) {
    const key = core.serviceKey.bind(core);
    core.serviceKey = async () => {
      if (armed > 0) {
        armed -= 1;
        arrived += 1;
        waiting = waiting.filter((w) => (w.n <= arrived ? (w.resolve(), false) : true));
        await new Promise<void>((resolve) => held.push(resolve));
      }
      return key();
    };
  }
  return {
    hold: (n: number): void => {
      armed += n;
    },
    /** Resolves once `n` uploads have been held since the test began. */
    until: (n: number): Promise<void> =>
      new Promise((resolve) => (n <= arrived ? resolve() : waiting.push({ n, resolve }))),
    letGo: (n = held.length): void => held.splice(0, n).forEach((resolve) => resolve()),
  };
}

/** A structured log that keeps the events it is given. */
function eventLog(): ServiceLog & { events: [string, Readonly<Record<string, unknown>>][] } {
  const events: [string, Readonly<Record<string, unknown>>][] = [];
  return {
    events,
    request: () => undefined,
    failure: () => undefined,
    event: (msg, fields = {}) => events.push([msg, fields]),
    flush: () => undefined,
  };
}

describe('insider attacks on uploads', () => {
  let svc: TestService;
  let clips: string[];
  let slots: ReturnType<typeof slotCounter>;
  let log: ReturnType<typeof eventLog>;
  const device = generateDeviceKey();
  const signing = deriveSigningKey(device);

  beforeEach(async () => {
    slots = slotCounter();
    log = eventLog();
    svc = await startTestService({ wrapStore: slots.wrap, options: { serviceLog: log } });
    clips = await svc.addBatch('b-AAAAAAAAAAAA1NS1', 2);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await svc.stop();
  });

  const gate = () => svc.service.core.largeUploads;
  // Read on a connection of its own, so it answers after the service has closed its store too.
  const slotsHeld = async () =>
    (await svc.query<{ account: string }>('SELECT account FROM large_upload_slots ORDER BY slot')).map(
      (r) => r.account,
    );
  /**
   * Lets `ms` pass for the store's leases: on SQLite the service clock, which judges them; on
   * PostgreSQL the database's own clock judges them, and cannot be turned, so every lease is moved
   * that much nearer its end instead.
   */
  const lapse = async (ms: number): Promise<void> => {
    svc.advance(ms);
    if (testStoreKind() === 'postgres') {
      await svc.query('UPDATE large_upload_slots SET expires_at = expires_at - ?', ms);
    }
  };
  const lostCount = async (at: string): Promise<string | undefined> =>
    (await svc.service.core.metrics.page())
      .split('\n')
      .find((l) => l.startsWith(`earmark_upload_slots_lost_total{at="${at}"}`))
      ?.split(' ')[1];
  const audit = async (action: string) =>
    (await svc.service.core.store.audit.list({ afterSeq: 0, limit: 100, action })).map((r) => ({
      actor: r.actor,
      outcome: r.outcome,
      code: r.code,
    }));

  const json = async (path: string, o: { token?: string; body?: unknown } = {}) => {
    const r = await fetch(`${svc.url}${path}`, {
      method: o.body === undefined ? 'GET' : 'POST',
      headers: {
        'content-type': 'application/json',
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      },
      ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
    });
    return {
      status: r.status,
      body: (await r.json()) as { token?: string; error?: { code: string; message: string } },
    };
  };

  const signIn = async (account?: SeedAccount, key: DeviceKey = device): Promise<string> => {
    const who = account ?? svc.reviewer;
    // Sessions are bound to the device that signed the service's challenge: the package's device.
    const r = await json('/v1/sessions', { body: await svc.signInBody({ account: who, device: key }) });
    return r.body.token ?? '';
  };

  const enrol = async (token: string, key: DeviceKey): Promise<void> => {
    const r = await json('/v1/devices', {
      token,
      body: deviceEnrolment(key),
    });
    expect([200, 201]).toContain(r.status);
  };

  const annotation = (clipId: string): AnnotationOp => ({
    opId: randomUUID(),
    batchId: 'b-AAAAAAAAAAAA1NS1',
    clipId,
    revision: 1,
    baseRevision: 0,
    baseOpId: null,
    disposition: 'transcribed',
    transcript: 'words',
    criticalCategories: [],
    entities: [],
    submittedAt: 1,
  });

  const resultsPackage = async (
    clipId = clips[0] as string,
    from: { key: DeviceKey; author: string } = { key: device, author: svc.reviewer.pseudonym },
  ): Promise<Buffer> =>
    buildResultsPackage({
      deviceKeyId: from.key.keyId,
      signing: deriveSigningKey(from.key),
      author: from.author,
      service: (await svc.service.core.serviceKey()).publicKey,
      now: svc.now(),
      body: { ops: [{ kind: 'annotation', op: annotation(clipId) }], timing: [] },
    });

  /** Preamble, header and signature of a package: what the service reads before the body. */
  const headOf = (bytes: Buffer): Buffer =>
    bytes.subarray(0, RESULTS_PREAMBLE_BYTES + bytes.readUInt32BE(8) + RESULTS_SIGNATURE_BYTES);

  const open = (headers: Record<string, string | number>, base = svc.url): OpenUpload => {
    const req = request(`${base}/v1/results-packages`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.earmark.package', ...headers },
    });
    const answer = new Promise<Answer>((resolve, reject) => {
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Answer['body'],
          }),
        );
      });
      // The service may close the connection on a body it refused to read: that is the point.
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') {
          reject(error);
        }
      });
    });
    return {
      write: (bytes) => req.write(bytes),
      end: (bytes) => req.end(bytes),
      abort: () => req.destroy(),
      answer: answer.finally(() => req.destroy()),
    };
  };

  const upload = async (token: string, bytes: Buffer, base = svc.url): Promise<Answer> => {
    const u = open({ authorization: `Bearer ${token}`, 'content-length': bytes.length }, base);
    u.end(bytes);
    return u.answer;
  };

  /** A reviewer signed in from a device of their own, enrolled, with a package of theirs to send. */
  const reviewerWithPackage = async (who: SeedAccount): Promise<{ token: string; bytes: Buffer }> => {
    await addAccount(svc.service.core, who);
    const key = generateDeviceKey();
    const token = await signIn(who, key);
    await enrol(token, key);
    return { token, bytes: await resultsPackage(clips[0], { key, author: who.pseudonym }) };
  };

  /**
   * Sends the header of `bytes` to `base` and holds the body back, keeping the upload's slots;
   * `answer` settles at once when it is refused before its body.
   */
  const hold = (token: string, bytes: Buffer, base = svc.url) => {
    const u = open({ authorization: `Bearer ${token}`, 'content-length': bytes.length }, base);
    u.write(headOf(bytes));
    return { answer: u.answer, finish: () => (u.end(bytes.subarray(headOf(bytes).length)), u.answer) };
  };

  const opsStored = () => svc.query<{ n: number }>("SELECT count(*) AS n FROM ops WHERE source = 'results_package'");

  it('imports a package uploaded under the reviewer’s own session', async () => {
    const token = await signIn();
    await enrol(token, device);
    const answer = await upload(token, await resultsPackage());
    expect(answer.status).toBe(200);
    expect(await opsStored()).toEqual([{ n: 1 }]);
  });

  it('refuses an upload without a session before reading a byte of its 64 MiB body', async () => {
    const u = open({ 'content-length': MAX_RESULTS_PACKAGE_BYTES });
    u.write(Buffer.alloc(64 * 1024));
    const answer = await u.answer;
    expect([answer.status, answer.body.error?.code]).toEqual([401, 'token_invalid']);
    expect(gate().bytesRead).toBe(0);
    expect(await audit('results.upload')).toEqual([{ actor: null, outcome: 'refused', code: 'token_invalid' }]);
  });

  it('refuses a declared length over the limit before reading the body', async () => {
    const token = await signIn();
    await enrol(token, device);
    const u = open({ authorization: `Bearer ${token}`, 'content-length': MAX_RESULTS_PACKAGE_BYTES + 1 });
    u.write(Buffer.alloc(64 * 1024));
    const answer = await u.answer;
    expect([answer.status, answer.body.error?.code]).toEqual([413, 'payload_too_large']);
    expect(gate().bytesRead).toBe(0);
    expect(await audit('results.upload')).toEqual([
      { actor: svc.reviewer.account, outcome: 'refused', code: 'payload_too_large' },
    ]);
  });

  it('refuses a signed header that declares an oversized body, having read only the header', async () => {
    const token = await signIn();
    await enrol(token, device);
    const real = await resultsPackage();
    const header = JSON.parse(real.toString('utf8', RESULTS_PREAMBLE_BYTES, headOf(real).length - 64)) as {
      body: { size: number };
    };
    header.body.size = RESULTS_MAX_BODY_BYTES + 1;
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const preamble = Buffer.from(real.subarray(0, RESULTS_PREAMBLE_BYTES));
    preamble.writeUInt32BE(headerBytes.length, 8);
    const head = Buffer.concat([preamble, headerBytes]);
    const signed = Buffer.concat([head, signBytes(signing, head)]);
    // No Content-Length: the body is chunked and only the header says how long it is.
    const u = open({ authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' });
    u.write(signed);
    const answer = await u.answer;
    expect([answer.status, answer.body.error?.code]).toEqual([413, 'payload_too_large']);
    expect(gate().bytesRead).toBe(signed.length);
    expect(await opsStored()).toEqual([{ n: 0 }]);
    expect((await audit('results.upload')).map((r) => r.code)).toEqual(['payload_too_large']);
  });

  it('refuses a Content-Length that differs from the size the signed header declares, before the body', async () => {
    const token = await signIn();
    await enrol(token, device);
    const bytes = await resultsPackage();
    const head = headOf(bytes);
    const u = open({ authorization: `Bearer ${token}`, 'content-length': bytes.length + 1_000_000 });
    u.write(head);
    const answer = await u.answer;
    expect([answer.status, answer.body.error?.code]).toEqual([400, 'bad_request']);
    expect(answer.body.error?.message).toMatch(/its signed header makes the package/);
    expect(gate().bytesRead).toBe(head.length);
    expect((await audit('results.upload')).map((r) => r.code)).toEqual(['bad_request']);
  });

  it('refuses a body that does not match the SHA-256 of its signed header, and stores nothing', async () => {
    const token = await signIn();
    await enrol(token, device);
    const bytes = await resultsPackage();
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0x40;
    const answer = await upload(token, bytes);
    expect([answer.status, answer.body.error?.code]).toEqual([400, 'bad_request']);
    expect(answer.body.error?.message).toMatch(/does not match the SHA-256/);
    // Read once, exactly as long as the signed header said, and never decrypted.
    expect(gate().bytesRead).toBe(bytes.length);
    expect(await opsStored()).toEqual([{ n: 0 }]);
    expect([gate().active, await slotsHeld()]).toEqual([0, []]);
    expect(await audit('results.upload')).toEqual([
      { actor: svc.reviewer.account, outcome: 'refused', code: 'bad_request' },
    ]);
  });

  it('refuses a version 1 package with a message that says to export again', async () => {
    const token = await signIn();
    await enrol(token, device);
    const real = await resultsPackage();
    const header = JSON.parse(real.toString('utf8', RESULTS_PREAMBLE_BYTES, headOf(real).length - 64)) as object;
    const headerBytes = Buffer.from(JSON.stringify({ ...header, version: 1 }), 'utf8');
    const preamble = Buffer.from(real.subarray(0, RESULTS_PREAMBLE_BYTES));
    preamble.writeUInt32BE(headerBytes.length, 8);
    const head = Buffer.concat([preamble, headerBytes]);
    const answer = await upload(
      token,
      Buffer.concat([head, signBytes(signing, head), real.subarray(headOf(real).length)]),
    );
    expect([answer.status, answer.body.error?.code]).toEqual([400, 'bad_request']);
    expect(answer.body.error?.message).toMatch(/format version 1.*Export the results again/);
    expect(await opsStored()).toEqual([{ n: 0 }]);
  });

  it("refuses another reviewer's session carrying this reviewer's package", async () => {
    const token = await signIn();
    await enrol(token, device);
    await addAccount(svc.service.core, OTHER);
    // The other reviewer signs in from a device enrolled to them, and sends this reviewer's package.
    const theirs = generateDeviceKey();
    const otherToken = await signIn(OTHER, theirs);
    await enrol(otherToken, theirs);
    const answer = await upload(otherToken, await resultsPackage());
    expect([answer.status, answer.body.error?.code]).toEqual([403, 'forbidden']);
    expect(await opsStored()).toEqual([{ n: 0 }]);
    expect(await audit('results.upload')).toEqual([{ actor: OTHER.account, outcome: 'refused', code: 'forbidden' }]);
  });

  it('reads two large uploads at a time in a process and answers a third 429 with Retry-After', async () => {
    const token = await signIn();
    await enrol(token, device);
    const other = await reviewerWithPackage(OTHER);
    const another = await reviewerWithPackage(THIRD);
    // Two reviewers' uploads send their header and hold the body back, each keeping its process slot.
    const held = [hold(token, await resultsPackage(clips[0])), hold(other.token, other.bytes)];
    await untilActive(gate(), MAX_LARGE_UPLOADS);

    // A third reviewer, with no upload of their own under way, finds none free.
    const third = await upload(another.token, another.bytes);
    expect([third.status, third.body.error?.code]).toEqual([429, 'rate_limited']);
    expect(third.headers['retry-after']).toBe(String(LARGE_UPLOAD_RETRY_AFTER_S));
    expect(third.body.error?.message).toMatch(/Too many results packages/);
    expect((await audit('results.upload')).map((r) => r.code)).toEqual(['rate_limited']);

    const answers = await Promise.all(held.map((h) => h.finish()));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(gate().active).toBe(0);
    expect(await slotsHeld()).toEqual([]);
    expect(await opsStored()).toEqual([{ n: 1 }]);
  });

  it('reads one large upload per account at a time in a process, so one insider cannot fill its slots', async () => {
    const token = await signIn();
    await enrol(token, device);
    const other = await reviewerWithPackage(OTHER);
    // One insider, with one session, sends a header through a process and trickles the body...
    const first = hold(token, await resultsPackage(clips[0]));
    await untilActive(gate(), 1);
    // ...and a second package the same way through the same process: refused before its body.
    const second = hold(token, await resultsPackage(clips[1]));
    const admitted = untilActive(gate(), MAX_LARGE_UPLOADS).then(() => 'admitted' as const);
    const refused: Answer | 'admitted' = await Promise.race([second.answer, admitted]);
    if (refused === 'admitted') {
      throw new Error('The second upload of one account was admitted to the process.');
    }
    expect([refused.status, refused.body.error?.code]).toEqual([429, 'rate_limited']);
    expect(refused.headers['retry-after']).toBe(String(LARGE_UPLOAD_RETRY_AFTER_S));
    expect(refused.body.error?.message).toMatch(/already uploading a results package/);
    expect(gate().active).toBe(1);
    expect(await slotsHeld()).toEqual([]);
    // Another reviewer's upload through the same process is read meanwhile.
    expect((await upload(other.token, other.bytes)).status).toBe(200);

    expect((await first.finish()).status).toBe(200);
    expect(gate().active).toBe(0);
    // Given back, the account may send its next package.
    expect((await upload(token, await resultsPackage(clips[1]))).status).toBe(200);
    expect(await opsStored()).toEqual([{ n: 2 }]);
    expect(await audit('results.upload')).toEqual([
      { actor: svc.reviewer.account, outcome: 'refused', code: 'rate_limited' },
    ]);
  });

  it('holds no store-wide slot while a body trickles in, so slow senders starve no other process', async () => {
    const sibling = await svc.startSibling({ wrapStore: slots.wrap });
    const token = await signIn();
    await enrol(token, device);
    const other = await reviewerWithPackage(OTHER);
    const third = await reviewerWithPackage(THIRD);
    // Two insiders send their headers through one process and trickle the rest: its process
    // slots are theirs, the store's are not.
    const held = [hold(token, await resultsPackage(clips[0])), hold(other.token, other.bytes)];
    await untilActive(gate(), MAX_LARGE_UPLOADS);
    expect(await slotsHeld()).toEqual([]);
    // Another reviewer's upload through the other process goes through meanwhile.
    expect((await upload(third.token, third.bytes, sibling.url)).status).toBe(200);

    const answers = await Promise.all(held.map((h) => h.finish()));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(await slotsHeld()).toEqual([]);
  });

  it('caps the uploads being decrypted across every service process on the store, not per process', async () => {
    const sibling = await svc.startSibling({ wrapStore: slots.wrap });
    const token = await signIn();
    await enrol(token, device);
    const other = await reviewerWithPackage(OTHER);
    const third = await reviewerWithPackage(THIRD);
    const mine = await resultsPackage(clips[0]);
    const decrypting = decryptGate(svc.service.core, sibling.service.core);
    // One whole upload held at its decrypting in each process: each is under its own cap of two.
    decrypting.hold(MAX_STORE_LARGE_UPLOADS);
    const first = upload(token, mine);
    await decrypting.until(1);
    const second = upload(other.token, other.bytes, sibling.url);
    await decrypting.until(2);
    expect([gate().active, sibling.service.core.largeUploads.active]).toEqual([1, 1]);

    // Through either process, the next upload finds every store-wide slot taken once it is read.
    for (const base of [svc.url, sibling.url]) {
      const refused = await upload(third.token, third.bytes, base);
      expect([refused.status, refused.body.error?.code]).toEqual([429, 'rate_limited']);
      expect(refused.headers['retry-after']).toBe(String(LARGE_UPLOAD_RETRY_AFTER_S));
      expect(refused.body.error?.message).toMatch(/Too many results packages/);
    }
    // The refused uploads gave back the process slots they took.
    expect([gate().active, sibling.service.core.largeUploads.active]).toEqual([1, 1]);
    expect(await slotsHeld()).toEqual([svc.reviewer.account, OTHER.account]);

    // One after the other: two SQLite connections in one test process cannot wait for each other.
    decrypting.letGo(1);
    expect((await first).status).toBe(200);
    decrypting.letGo(1);
    expect((await second).status).toBe(200);
    expect(await slotsHeld()).toEqual([]);
    expect((await upload(third.token, third.bytes, sibling.url)).status).toBe(200);
    expect(await slotsHeld()).toEqual([]);
  });

  it('lets one account upload one large package at a time across processes, and others meanwhile', async () => {
    const sibling = await svc.startSibling({ wrapStore: slots.wrap });
    const token = await signIn();
    await enrol(token, device);
    const other = await reviewerWithPackage(OTHER);
    const [first, second] = [await resultsPackage(clips[0]), await resultsPackage(clips[1])];
    const decrypting = decryptGate(svc.service.core);
    decrypting.hold(1);
    const held = upload(token, first);
    await decrypting.until(1);

    // The same reviewer again, through another process, with slots to spare: refused once read.
    const again = await upload(token, second, sibling.url);
    expect([again.status, again.body.error?.code]).toEqual([429, 'rate_limited']);
    expect(again.headers['retry-after']).toBe(String(LARGE_UPLOAD_RETRY_AFTER_S));
    expect(again.body.error?.message).toMatch(/already uploading a results package/);
    expect(sibling.service.core.largeUploads.bytesRead).toBe(second.length);
    expect([gate().active, sibling.service.core.largeUploads.active]).toEqual([1, 0]);
    // Another reviewer is not held up by it.
    expect((await upload(other.token, other.bytes)).status).toBe(200);

    decrypting.letGo();
    expect((await held).status).toBe(200);
    expect((await upload(token, second)).status).toBe(200);
    expect(await opsStored()).toEqual([{ n: 2 }]);
    expect(await slotsHeld()).toEqual([]);
  });

  it('takes again the store slots of a process that died holding them, once their lease has lapsed', async () => {
    const token = await signIn();
    await enrol(token, device);
    // A process took both store-wide slots and died before it gave them back.
    for (const account of ['gone-1', 'gone-2']) {
      const outcome = await svc.service.core.store.uploadSlots.acquire({
        holder: `dead-${account}`,
        account,
        slots: MAX_STORE_LARGE_UPLOADS,
        now: svc.now(),
        leaseMs: LARGE_UPLOAD_LEASE_MS,
      });
      expect(outcome).toBe('taken');
    }
    const refused = await upload(token, await resultsPackage());
    expect([refused.status, refused.body.error?.code]).toEqual([429, 'rate_limited']);
    await lapse(LARGE_UPLOAD_LEASE_MS / 2);
    expect((await upload(token, await resultsPackage())).status).toBe(429);
    expect(gate().active).toBe(0);

    // One short lease after it died, never renewed, its slots are free.
    await lapse(LARGE_UPLOAD_LEASE_MS / 2);
    expect((await upload(token, await resultsPackage())).status).toBe(200);
    expect(await slotsHeld()).toEqual([]);
    expect(await opsStored()).toEqual([{ n: 1 }]);
  });

  it('renews its store slot while the upload works, past the first lease, and stops once it is given back', async () => {
    const sibling = await svc.startSibling({ wrapStore: slots.wrap });
    const token = await signIn();
    await enrol(token, device);
    const [first, second] = [await resultsPackage(clips[0]), await resultsPackage(clips[1])];
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const decrypting = decryptGate(svc.service.core);
    decrypting.hold(1);
    const held = upload(token, first);
    await decrypting.until(1);

    await lapse(LARGE_UPLOAD_RENEW_MS);
    vi.advanceTimersByTime(LARGE_UPLOAD_RENEW_MS);
    await slots.untilRenewed(1);
    // Past the lease the slot was taken with: renewed, it is still this upload's (as another
    // process, which this account holds no slot of, finds).
    await lapse(LARGE_UPLOAD_LEASE_MS - 10_000);
    const again = await upload(token, second, sibling.url);
    expect([again.status, again.body.error?.message]).toEqual([429, expect.stringMatching(/already uploading/)]);
    expect(await slotsHeld()).toEqual([svc.reviewer.account]);

    decrypting.letGo();
    expect((await held).status).toBe(200);
    expect(await slotsHeld()).toEqual([]);
    // Given back, the slot is renewed no more.
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3 * LARGE_UPLOAD_RENEW_MS);
    expect(slots.renewals()).toBe(1);
    expect(log.events.filter(([msg]) => msg.startsWith('upload_slot'))).toEqual([]);
  });

  it('logs and counts a lease that lapsed and was taken once, stops renewing it, and keeps the upload', async () => {
    const token = await signIn();
    await enrol(token, device);
    const bytes = await resultsPackage();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const decrypting = decryptGate(svc.service.core);
    decrypting.hold(1);
    const held = upload(token, bytes);
    await decrypting.until(1);
    // The process stalled past its lease, and another took the slot.
    await svc.query('DELETE FROM large_upload_slots');

    // Three renewal periods pass while the upload still works.
    for (let i = 0; i < 3; i += 1) {
      vi.advanceTimersByTime(LARGE_UPLOAD_RENEW_MS);
      await slots.untilRenewalsDone();
    }
    // The first renewal found it lost: one loss, and no renewal after it.
    expect(slots.renewals()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(log.events).toEqual([['upload_slot_lost', { at: 'renew' }]]);
    expect(await lostCount('renew')).toBe('1');

    decrypting.letGo();
    expect((await held).status).toBe(200);
    // Giving it back does not count the same loss again.
    expect(log.events).toEqual([['upload_slot_lost', { at: 'renew' }]]);
    expect([await lostCount('renew'), await lostCount('release')]).toEqual(['1', undefined]);
  });

  it('logs and counts a lease found lapsed and taken when it is given back, once', async () => {
    const token = await signIn();
    await enrol(token, device);
    const bytes = await resultsPackage();
    const decrypting = decryptGate(svc.service.core);
    decrypting.hold(1);
    const held = upload(token, bytes);
    await decrypting.until(1);
    // Lost between two renewals: found only when given back.
    await svc.query('DELETE FROM large_upload_slots');
    decrypting.letGo();
    expect((await held).status).toBe(200);
    expect(log.events).toEqual([['upload_slot_lost', { at: 'release' }]]);
    expect([await lostCount('renew'), await lostCount('release')]).toEqual([undefined, '1']);
  });

  it('keeps the answer when giving the store slot back fails: a 200 stays 200, a refusal keeps its code', async () => {
    const token = await signIn();
    await enrol(token, device);
    const good = await resultsPackage(clips[0]);
    const bad = await resultsPackage(clips[1]);
    bad[bad.length - 5] = (bad[bad.length - 5] ?? 0) ^ 0x40;
    slots.failRelease = true;

    expect((await upload(token, good)).status).toBe(200);
    expect(await opsStored()).toEqual([{ n: 1 }]);
    // The slot could not be given back; it lapses (the next upload of this account waits for it).
    await lapse(LARGE_UPLOAD_LEASE_MS);
    const refused = await upload(token, bad);
    expect([refused.status, refused.body.error?.code]).toEqual([400, 'bad_request']);
    expect(await audit('results.upload')).toEqual([
      { actor: svc.reviewer.account, outcome: 'refused', code: 'bad_request' },
    ]);
    expect(log.events).toEqual(
      Array.from({ length: 2 }, () => ['upload_slot_error', { step: 'release', error: 'Error' }]),
    );
    expect(gate().active).toBe(0);
  });

  it('gives back its store slot on a graceful shutdown whose grace period ends mid-upload', async () => {
    const token = await signIn();
    await enrol(token, device);
    const bytes = await resultsPackage();
    const decrypting = decryptGate(svc.service.core);
    decrypting.hold(1);
    void upload(token, bytes).catch(() => undefined);
    await decrypting.until(1);
    expect(await slotsHeld()).toEqual([svc.reviewer.account]);

    expect(await svc.service.shutdown(0)).toEqual({ dropped: 1 });
    // Given back before the store closed: a restart (or another process) may take it at once.
    expect(await slotsHeld()).toEqual([]);
    // The dropped upload ends on the closed store; it gives back its process slot.
    const ended = untilActive(gate(), 0);
    decrypting.letGo();
    await ended;
    expect(await opsStored()).toEqual([{ n: 0 }]);
  });

  it('gives back at once a store slot whose claim ends after shutdown began giving slots back', async () => {
    const token = await signIn();
    await enrol(token, device);
    const bytes = await resultsPackage();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    // The store takes the slot, but its answer comes late.
    const acquiring = slots.holdAcquire();
    const answer = upload(token, bytes);
    await acquiring.arrived;
    expect(await slotsHeld()).toEqual([svc.reviewer.account]);

    // Shutdown gives back the slots it holds; the claim under way holds none yet.
    const releasing = svc.service.core.uploadLeases.releaseAll();
    acquiring.letGo();
    await releasing;
    // The claim gave its slot back before the shutdown went on to close the store, and renews
    // nothing; its upload is told to come back, and nothing of it is stored.
    expect(await slotsHeld()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    const refused = await answer;
    expect([refused.status, refused.body.error?.code]).toEqual([429, 'rate_limited']);
    expect(refused.headers['retry-after']).toBe(String(LARGE_UPLOAD_RETRY_AFTER_S));
    expect(refused.body.error?.message).toMatch(/shutting down/);
    expect(await opsStored()).toEqual([{ n: 0 }]);
    expect([gate().active, svc.service.core.uploadLeases.held]).toEqual([0, 0]);
    // Any upload read from now on is refused the same way, without taking a slot.
    const after = await upload(token, bytes);
    expect([after.status, after.body.error?.message]).toEqual([429, expect.stringMatching(/shutting down/)]);
    expect(await slotsHeld()).toEqual([]);
  });

  it('gives back a slot taken during a shutdown whose grace period ended, before the store closes', async () => {
    const token = await signIn();
    await enrol(token, device);
    const bytes = await resultsPackage();
    const acquiring = slots.holdAcquire();
    void upload(token, bytes).catch(() => undefined);
    await acquiring.arrived;
    const leases = svc.service.core.uploadLeases;
    const releaseAll = leases.releaseAll.bind(leases);
    let releasing = (): void => undefined;
    const released = new Promise<void>((resolve) => (releasing = resolve));
    leases.releaseAll = () => (releasing(), releaseAll());

    const shutdown = svc.service.shutdown(0);
    await released;
    acquiring.letGo();
    expect(await shutdown).toEqual({ dropped: 1 });
    // Read on a connection of the test's own: the store is closed, and the slot is free.
    expect(await slotsHeld()).toEqual([]);
  });

  it('holds only its process slot while its body is read, and gives it back when cut off halfway', async () => {
    const token = await signIn();
    await enrol(token, device);
    const bytes = await resultsPackage();
    const u = open({ authorization: `Bearer ${token}`, 'content-length': bytes.length });
    u.write(headOf(bytes));
    await untilActive(gate(), 1);
    expect(await slotsHeld()).toEqual([]);
    const freed = untilActive(gate(), 0);
    u.abort();
    await freed;
    expect(await slotsHeld()).toEqual([]);
    expect(await opsStored()).toEqual([{ n: 0 }]);
  });

  it('refuses free text in timing with the field at fault, stores none of it and audits it', async () => {
    const token = await signIn();
    await enrol(token, device);
    const shift = {
      id: testRowId('shift-1'),
      pseudonym: svc.reviewer.pseudonym,
      startedAt: 1,
      startReason: 'sign_in',
      lastActivityAt: 2,
      endedAt: null,
      endReason: null,
    };
    const attempts = [
      { id: 'k-1', kind: 'shift', values: { ...shift, note: '… card number is 4485' } },
      {
        id: 'k-2',
        kind: 'break',
        values: {
          id: testRowId('b'),
          shiftId: testRowId('s'),
          trigger: 'card 4485',
          startedAt: 1,
          endedAt: 2,
          skipped: false,
        },
      },
      { id: 'k-3', kind: 'diary', values: { text: 'free text' } },
      // A shift id is what a supervisor reads in reports: words in it are refused too.
      { id: 'k-5', kind: 'shift', values: { ...shift, id: 'ring_Ana_on_0612345678' } },
    ];
    const answers = [];
    for (const record of attempts) {
      answers.push(await json('/v1/timing', { token, body: { records: [record] } }));
    }
    expect(answers.map((a) => [a.status, a.body.error?.code])).toEqual(
      Array.from({ length: 4 }, () => [400, 'bad_request']),
    );
    expect(answers[0]?.body.error?.message).toMatch(/records\.0\.values.*note/);
    expect(answers[1]?.body.error?.message).toMatch(/records\.0\.values\.trigger/);
    expect(answers[2]?.body.error?.message).toMatch(/records\.0\.kind/);
    expect(answers[3]?.body.error?.message).toMatch(/records\.0\.values\.id: a shift or break id is a UUID/);
    expect(await svc.service.core.store.timing.count(svc.reviewer.account)).toBe(0);
    expect(await audit('timing.upload')).toEqual(
      Array.from({ length: 4 }, () => ({ actor: svc.reviewer.account, outcome: 'refused', code: 'bad_request' })),
    );

    const good = await json('/v1/timing', { token, body: { records: [{ id: 'k-4', kind: 'shift', values: shift }] } });
    expect(good.status).toBe(200);
    expect(await svc.service.core.store.timing.count(svc.reviewer.account)).toBe(1);
  });

  it('refuses timing records whose times cannot be right, one by one, and stores the rest', async () => {
    const token = await signIn();
    await enrol(token, device);
    const now = svc.now();
    const shift = (id: string, o: { startedAt: number; lastActivityAt: number; endedAt: number | null }) => ({
      id,
      kind: 'shift',
      values: {
        id: testRowId(`shift-${id}`),
        pseudonym: svc.reviewer.pseudonym,
        startReason: 'sign_in',
        endReason: o.endedAt === null ? null : 'sign_out',
        ...o,
      },
    });
    const ahead = now + 2 * 86_400_000;
    const records = [
      shift('k-ok', { startedAt: now - 3_600_000, lastActivityAt: now, endedAt: now }),
      shift('k-ends-first', { startedAt: now, lastActivityAt: now, endedAt: now - 3_600_000 }),
      shift('k-idle-first', { startedAt: now, lastActivityAt: now - 1, endedAt: null }),
      shift('k-years-ahead', { startedAt: now, lastActivityAt: ahead, endedAt: null }),
      {
        id: 'k-break',
        kind: 'break',
        values: {
          id: testRowId('b-1'),
          shiftId: testRowId('shift-k-ok'),
          trigger: 'manual',
          startedAt: now,
          endedAt: now - 1,
          skipped: false,
        },
      },
    ];
    const answer = await json('/v1/timing', { token, body: { records } });
    expect(answer.status).toBe(200);
    const body = answer.body as unknown as { accepted: string[]; refused: { id: string; code: string }[] };
    expect(body.accepted).toEqual(['k-ok']);
    expect(body.refused.map((r) => [r.id, r.code])).toEqual([
      ['k-ends-first', 'implausible_time'],
      ['k-idle-first', 'implausible_time'],
      ['k-years-ahead', 'ahead_of_service'],
      ['k-break', 'implausible_time'],
    ]);
    expect(await svc.service.core.store.timing.count(svc.reviewer.account)).toBe(1);
    expect(await audit('timing.upload')).toEqual([
      { actor: svc.reviewer.account, outcome: 'refused', code: 'implausible_time' },
    ]);
    // Ahead is for now: once the service's clock has caught up, the same record is taken.
    svc.advance(2 * 86_400_000);
    const again = await signIn();
    await enrol(again, device);
    const later = await json('/v1/timing', { token: again, body: { records: [records[3]] } });
    expect((later.body as unknown as { accepted: string[] }).accepted).toEqual(['k-years-ahead']);
  });
});
