import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../../main/ipc/dispatcher';
import { createHandlerTable, type HandlerTable } from '../../../main/ipc/handlers';
import type { SenderInfo } from '../../../main/ipc/sender';
import { createLogger } from '../../../main/log/logger';
import { ServiceError } from '../../../main/services/service-error';
import { invokeChannels } from '../../../shared/ipc/channels';
import { makeServices } from '../../support/services';

const ORIGIN = 'app://earmark';
const trusted: SenderInfo = { frameUrl: 'app://earmark/index.html', fromOwnWindow: true };

describe('IPC dispatcher', () => {
  let env: ReturnType<typeof makeServices>;
  let handlers: HandlerTable;
  let logs: string[];
  let dispatcher: Dispatcher;
  let calls: string[];

  beforeEach(() => {
    env = makeServices();
    logs = [];
    calls = [];
    const real = createHandlerTable(env.services);
    // Count handler calls so tests can prove a refused call had no effect.
    handlers = {
      ...real,
      'batches:get': (req) => {
        calls.push('batches:get');
        return real['batches:get'](req);
      },
    };
    dispatcher = createDispatcher({
      handlers,
      allowedOrigin: ORIGIN,
      logger: createLogger('debug', (l) => logs.push(l)),
    });
  });
  afterEach(() => env.dispose());

  it('has a handler for every contract channel', () => {
    expect(Object.keys(createHandlerTable(env.services)).sort()).toEqual([...invokeChannels].sort());
  });

  it('returns typed data from a service', async () => {
    const result = await dispatcher.invoke(trusted, 'session:get', undefined);
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toMatchObject({ mode: 'demo', identity: { role: 'reviewer' } });
  });

  it.each<[string, SenderInfo]>([
    ['another origin', { frameUrl: 'https://evil.example/', fromOwnWindow: true }],
    ['a file: page', { frameUrl: 'file:///tmp/index.html', fromOwnWindow: true }],
    ['a look-alike host', { frameUrl: 'app://earmark.evil/index.html', fromOwnWindow: true }],
    ['a window we did not create', { frameUrl: 'app://earmark/index.html', fromOwnWindow: false }],
    ['a destroyed frame', { frameUrl: undefined, fromOwnWindow: true }],
  ])('refuses %s without calling the handler', async (_name, sender) => {
    const result = await dispatcher.invoke(sender, 'batches:get', { batchId: 'b-AAAAAAAAAAAAAAA1' });
    expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: expect.any(String) as string } });
    expect(calls).toEqual([]);
  });

  it.each([
    ['a missing field', {}],
    ['an unknown field', { batchId: 'b-AAAAAAAAAAAAAAA1', extra: true }],
    ['a path in the id', { batchId: '../etc' }],
    ['the wrong type', { batchId: 7 }],
    ['no object at all', 'b-AAAAAAAAAAAAAAA1'],
  ])('refuses %s with BAD_REQUEST and no side effect', async (_name, payload) => {
    const result = await dispatcher.invoke(trusted, 'batches:get', payload);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('BAD_REQUEST');
    expect(calls).toEqual([]);
  });

  it.each([
    [
      'a span past the end of the transcript',
      { transcript: 'abc', critical: [{ start: 1, end: 9, category: 'phone' }], entities: [] },
    ],
    ['an empty span', { transcript: 'abc', critical: [], entities: [{ start: 2, end: 2, type: 'artist' }] }],
    ['an unknown category', { transcript: 'abc', critical: [{ start: 0, end: 1, category: 'ssn' }], entities: [] }],
    ['an entity type with markup', { transcript: 'abc', critical: [], entities: [{ start: 0, end: 1, type: '<b>' }] }],
  ])('refuses a submit with %s before any service runs', async (_name, body) => {
    const result = await dispatcher.invoke(trusted, 'annotations:submit', {
      batchId: 'b-AAAAAAAAAAAAAAA1',
      clipId: 'c-AAAAAAAAAAAAAAA1',
      basedOnRevision: 0,
      disposition: 'transcribed',
      body,
    });
    expect(!result.ok && result.error.code).toBe('BAD_REQUEST');
  });

  it.each<[string, 'sync:resolve' | 'sync:handOver', unknown]>([
    ['an op id that is no UUID', 'sync:resolve', { opId: 'op-1', action: 'discard' }],
    ['an action that is not offered', 'sync:resolve', { opId: '5d0f0b8e-2a4f-4c33-9a49-1b7bb0f0d2a1', action: 'drop' }],
    ['an extra field', 'sync:resolve', { opId: '5d0f0b8e-2a4f-4c33-9a49-1b7bb0f0d2a1', action: 'resend', x: 1 }],
    ['a path for a batch', 'sync:handOver', { batchId: '../b1' }],
  ])('refuses %s on a sync resolution with BAD_REQUEST', async (_name, channel, payload) => {
    const result = await dispatcher.invoke(trusted, channel, payload);
    expect(!result.ok && result.error.code).toBe('BAD_REQUEST');
  });

  it('answers NOT_FOUND for an op that needs no attention, and UNAVAILABLE for a hand-over without a service', async () => {
    const op = { opId: '5d0f0b8e-2a4f-4c33-9a49-1b7bb0f0d2a1', action: 'discard' };
    expect(await dispatcher.invoke(trusted, 'sync:resolve', op)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await dispatcher.invoke(trusted, 'sync:handOver', { batchId: 'b-AAAAAAAAAAAAAAA1' })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
  });

  it('refuses a payload on a call that takes none', async () => {
    const result = await dispatcher.invoke(trusted, 'batches:list', { sneaky: 1 });
    expect(!result.ok && result.error.code).toBe('BAD_REQUEST');
  });

  it('refuses an unknown channel, including inherited property names', async () => {
    for (const channel of ['fs:read', '__proto__', 'constructor', 'toString']) {
      const result = await dispatcher.invoke(trusted, channel, undefined);
      expect(!result.ok && result.error.code).toBe('UNKNOWN_CHANNEL');
    }
  });

  it('passes a service error through with its code', async () => {
    const result = await dispatcher.invoke(trusted, 'batches:get', { batchId: 'b-AAAAAAAAAAAA0404' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No batch "b-AAAAAAAAAAAA0404" on this workstation.' },
    });
  });

  it('hides the message of an unexpected failure from the renderer and the log', async () => {
    const secret = 'transcript: my card number is 4111';
    const failing = createDispatcher({
      handlers: {
        ...handlers,
        'batches:list': () => {
          throw new Error(secret);
        },
      },
      allowedOrigin: ORIGIN,
      logger: createLogger('debug', (l) => logs.push(l)),
    });
    const result = await failing.invoke(trusted, 'batches:list', undefined);
    expect(!result.ok && result.error.code).toBe('INTERNAL');
    expect(JSON.stringify(result)).not.toContain('4111');
    expect(logs.join('\n')).not.toContain('4111');
    expect(logs.join('\n')).toContain('handler failed');
  });

  it('says a write the disk refused was not stored, naming the cause, never that work is safe', async () => {
    const failing = createDispatcher({
      handlers: {
        ...handlers,
        'batches:list': () => {
          throw new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
        },
      },
      allowedOrigin: ORIGIN,
      logger: createLogger('debug', (l) => logs.push(l)),
    });
    const result = await failing.invoke(trusted, 'batches:list', undefined);
    expect(!result.ok && result.error.code).toBe('STORAGE_FULL');
    expect(!result.ok && result.error.message).toMatch(/not stored/);
    expect(JSON.stringify(result)).not.toMatch(/safe/);
    expect(logs.join('\n')).toContain('STORAGE_FULL');
  });

  it('stops every call but the frame once SQLite reports the file damaged: no draft saves beside a refused submit', async () => {
    const drafts: string[] = [];
    const failing = createDispatcher({
      handlers: {
        ...handlers,
        'annotations:submit': () => {
          throw new Database.SqliteError('database disk image is malformed', 'SQLITE_CORRUPT_INDEX');
        },
        'annotations:saveDraft': (req) => {
          drafts.push('saved');
          return handlers['annotations:saveDraft'](req);
        },
      },
      allowedOrigin: ORIGIN,
      logger: createLogger('debug', (l) => logs.push(l)),
    });
    const body = { transcript: 'x', critical: [], entities: [] };
    const submit = await failing.invoke(trusted, 'annotations:submit', {
      batchId: 'b-AAAAAAAAAAAAAAA1',
      clipId: 'c-AAAAAAAAAAAAAAA1',
      basedOnRevision: 0,
      disposition: 'transcribed',
      body,
    });
    const draft = await failing.invoke(trusted, 'annotations:saveDraft', {
      batchId: 'b-AAAAAAAAAAAAAAA1',
      clipId: 'c-AAAAAAAAAAAAAAA1',
      basedOnRevision: 0,
      body,
      disposition: null,
    });
    const info = await failing.invoke(trusted, 'app:getInfo', undefined);
    expect([!submit.ok && submit.error.code, !draft.ok && draft.error.code]).toEqual([
      'STORAGE_CORRUPT',
      'STORAGE_CORRUPT',
    ]);
    expect(drafts).toEqual([]);
    expect(JSON.stringify([submit, draft])).not.toMatch(/safe/);
    expect(info.ok).toBe(true);
  });

  it('keeps ServiceError codes distinct from crashes', () => {
    expect(new ServiceError('CONFLICT', 'x').code).toBe('CONFLICT');
  });
});
