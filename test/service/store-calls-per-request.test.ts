/**
 * What one request of a sync cycle costs the store, counted (never timed): the caller is read
 * once, with the enrolment of its device, and the figures of a device and a timing upload take
 * one read or write each, with no unit of work around them. On PostgreSQL each is also counted as
 * statements sent: every round trip costs the service and the database CPU under load.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateDeviceKey } from '../../core/crypto/device-key';
import type { AnnotationOp } from '../../shared/sync/messages';
import type { ServiceStore } from '../../service/store/repositories';
import { testRowId } from '../support/ids';
import { call, type Answer, type CallOptions } from '../support/http-client';
import { startTestService, type TestService } from '../support/reference-service';
import { testStoreKind } from '../support/test-store';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';

const BATCH = 'b-AAAAAAAAAAAACA11';

/** Counts each repository method called on the store, and units of work, inside them too. */
function countingStore(calls: Map<string, number>) {
  const note = (name: string): void => {
    calls.set(name, (calls.get(name) ?? 0) + 1);
  };
  const repositories = <T extends object>(repos: T): T =>
    new Proxy(repos, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string' || typeof value !== 'object' || value === null) {
          return value;
        }
        return new Proxy(value, {
          get(repo, method, r) {
            const fn: unknown = Reflect.get(repo, method, r);
            return typeof fn === 'function' && typeof method === 'string'
              ? (...args: unknown[]) => {
                  note(`${key}.${method}`);
                  return (fn as (...a: unknown[]) => unknown).apply(repo, args);
                }
              : fn;
          },
        });
      },
    });
  return (store: ServiceStore): ServiceStore => {
    const wrapped = repositories(store);
    return Object.assign(Object.create(wrapped) as ServiceStore, {
      transaction: <T>(work: (tx: Parameters<Parameters<ServiceStore['transaction']>[0]>[0]) => Promise<T>) => {
        note('transaction');
        return store.transaction((tx) => work(repositories(tx)));
      },
    });
  };
}

/** Statements sent to PostgreSQL while `work` runs, but the fault switch's (another concern). */
async function pgStatements(work: () => Promise<void>): Promise<string[]> {
  // A spy calls through: the statements still run.
  const spy = vi.spyOn(Client.prototype, 'query');
  try {
    await work();
    return spy.mock.calls
      .map(([first]: readonly unknown[]) =>
        typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? ''),
      )
      .map((text) => text.replace(/\s+/g, ' ').trim())
      .filter((text) => !text.includes('fault_switch'));
  } finally {
    spy.mockRestore();
  }
}

describe('store calls per request of a sync cycle', () => {
  let svc: TestService;
  let clips: string[];
  let token: string;
  const calls = new Map<string, number>();
  const device = generateDeviceKey();

  const http = (method: string, path: string, o?: CallOptions): Promise<Answer> => call(svc.url, method, path, o);

  beforeEach(async () => {
    svc = await startTestService({ wrapStore: countingStore(calls) });
    clips = await svc.addBatch(BATCH, 2);
    const r = await http('POST', '/v1/sessions', { json: await svc.signInBody({ device }) });
    token = (r.body as { token: string }).token;
    const enrolled = await http('POST', '/v1/devices', {
      token,
      json: deviceEnrolment(device),
    });
    expect([200, 201]).toContain(enrolled.status);
    calls.clear();
  });
  afterEach(async () => {
    await svc.stop();
  });

  const op = (clipId: string): AnnotationOp => ({
    opId: randomUUID(),
    batchId: BATCH,
    clipId,
    revision: 1,
    baseRevision: 0,
    baseOpId: null,
    disposition: 'transcribed',
    transcript: 'words',
    criticalCategories: [],
    entities: [],
    submittedAt: svc.now(),
  });

  const shift = {
    id: testRowId('shift-1'),
    pseudonym: 'rv-demo',
    startedAt: 1,
    startReason: 'sign_in',
    lastActivityAt: 2,
    endedAt: null,
    endReason: null,
  };

  it('reads the caller once, with its device, for an upload', async () => {
    const r = await http('POST', '/v1/annotations', { token, json: { ops: [op(clips[0] ?? '')] } });
    expect(r.status).toBe(200);
    expect((r.body as { results: { code: string }[] }).results.map((x) => x.code)).toEqual(['stored']);
    expect(calls.get('callers.find')).toBe(1);
    expect(['sessions.find', 'accounts.find', 'devices.find'].map((k) => calls.get(k) ?? 0)).toEqual([0, 0, 0]);
  });

  it('checks each op of an upload in one lookup', async () => {
    const ops = [op(clips[0] ?? ''), op(clips[1] ?? '')];
    const r = await http('POST', '/v1/annotations', { token, json: { ops } });
    expect((r.body as { results: { code: string }[] }).results.map((x) => x.code)).toEqual(['stored', 'stored']);
    expect(calls.get('opChecks.facts')).toBe(2);
    const perOp = ['batches.find', 'batches.hasClip', 'batches.isWithdrawn', 'checkouts.find', 'checkouts.holder'];
    expect(perOp.map((k) => calls.get(k) ?? 0)).toEqual([0, 0, 0, 0, 0]);
  });

  it('still refuses an upload from a device the account has not enrolled', async () => {
    const other = generateDeviceKey();
    const r = await http('POST', '/v1/sessions', { json: await svc.signInBody({ device: other }) });
    const otherToken = (r.body as { token: string }).token;
    const refused = await http('POST', '/v1/annotations', { token: otherToken, json: { ops: [op(clips[0] ?? '')] } });
    expect([refused.status, (refused.body as { error: { code: string } }).error.code]).toEqual([
      403,
      'device_not_enrolled',
    ]);
    expect(await svc.query('SELECT op_id FROM ops')).toEqual([]);
  });

  it('answers the figures of a device with one read and no unit of work', async () => {
    const r = await http('GET', '/v1/devices/current/ops', { token });
    expect(r.status).toBe(200);
    expect(calls.get('syncState.deviceState')).toBe(1);
    expect(calls.get('transaction') ?? 0).toBe(0);
  });

  it('stores a timing upload with one write and no unit of work', async () => {
    const r = await http('POST', '/v1/timing', {
      token,
      json: { records: [{ id: 'k-1', kind: 'shift', values: shift }] },
    });
    expect(r.status).toBe(200);
    expect(calls.get('timing.add')).toBe(1);
    expect(calls.get('transaction') ?? 0).toBe(0);
  });

  // A test of the PostgreSQL store alone, as those under store/postgres/ are: the run on SQLite,
  // where a statement is no round trip, does not have it (rather than skipping it).
  const onPostgres = testStoreKind() === 'postgres' ? it : undefined;
  onPostgres?.('sends PostgreSQL two statements for figures and for timing', async () => {
    const figures = await pgStatements(async () => {
      expect((await http('GET', '/v1/devices/current/ops', { token })).status).toBe(200);
    });
    expect(figures).toHaveLength(2);
    const timing = await pgStatements(async () => {
      const records = [{ id: 'k-2', kind: 'shift', values: shift }];
      expect((await http('POST', '/v1/timing', { token, json: { records } })).status).toBe(200);
    });
    expect(timing).toHaveLength(2);
    // The insert counts the account's daily room in the same statement.
    expect(timing.some((s) => s.includes('INSERT INTO timing_records'))).toBe(true);
  });
});
