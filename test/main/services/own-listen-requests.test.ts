import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../../main/log/logger';
import { createEventHub } from '../../../main/services/event-hub';
import { createOwnListenRequests } from '../../../main/services/own-listen-requests';
import type { CycleStep } from '../../../main/services/sync.service';
import type { SyncHttp } from '../../../main/services/sync/sync-http';
import type { OwnListenRequest } from '../../../shared/domain/hearing';
import { paths } from '../../../shared/sync/protocol';

const answered: OwnListenRequest = {
  requestId: '00000000-0000-4000-8000-000000000001',
  batchId: 'b-AAAAAAAAAAAA0001',
  clipId: 'c-AAAAAAAAAAAA0001',
  span: { start: 4, end: 9 },
  window: { startMs: 0, endMs: 900 },
  state: 'answered',
  createdAt: 1,
  expiresAt: 2,
  helper: 'rv-b',
  proposal: 'forty',
};

function setUp(answers: OwnListenRequest[][]) {
  const events = createEventHub();
  const pushed: unknown[] = [];
  events.subscribe((event, payload) => event === 'listen:changed' && pushed.push(payload));
  let step: CycleStep | undefined;
  const callJson = vi.fn((_token: string, _method: string, path: string) =>
    Promise.resolve(path === paths.ownListenRequests ? { requests: answers.shift() ?? [] } : null),
  );
  const http = { callJson } as unknown as SyncHttp;
  const own = createOwnListenRequests({
    sync: { addStep: (s) => (step = s) },
    events,
    logger: silentLogger,
  });
  const cycle = async (): Promise<void> => {
    await step?.(http, 'token');
  };
  return { own, events, pushed, callJson, cycle };
}

describe('own second-listen requests in main', () => {
  it('fetches them once per sync cycle and answers reads from memory', async () => {
    const { own, pushed, callJson, cycle } = setUp([[answered], [answered]]);
    expect(own.current()).toEqual([]);
    await cycle();
    expect(callJson).toHaveBeenCalledTimes(1);
    expect(own.current()).toEqual([answered]);
    expect(pushed).toEqual([{ waiting: 1 }]);

    for (let read = 0; read < 5; read += 1) {
      own.current();
    }
    expect(callJson).toHaveBeenCalledTimes(1);

    // The same list again tells the window nothing.
    await cycle();
    expect(pushed).toEqual([{ waiting: 1 }]);
  });

  it('shows a decision at once and forgets everything at sign-out', async () => {
    const { own, events, pushed, cycle } = setUp([[answered]]);
    await cycle();
    own.decided(answered.requestId, 'ignored');
    expect(own.current()).toEqual([{ ...answered, state: 'ignored' }]);
    events.publish('session:signedOut');
    expect(own.current()).toEqual([]);
    expect(pushed).toEqual([{ waiting: 1 }, { waiting: 0 }, { waiting: 0 }]);
  });

  it('forgets the last account’s requests when another signs in over a lapsed session', async () => {
    const { own, events, cycle } = setUp([[answered]]);
    await cycle();
    expect(own.current()).toEqual([answered]);
    events.publish('session:signedIn', { pseudonym: 'rv-next', role: 'reviewer' });
    expect(own.current()).toEqual([]);
  });

  it('drops a list asked for in the last session that arrives after the next sign-in', async () => {
    const { own, events, callJson, cycle } = setUp([]);
    let answer = (_: { requests: OwnListenRequest[] }): void => undefined;
    callJson.mockReturnValueOnce(
      new Promise((done) => {
        answer = done;
      }),
    );
    const late = cycle();
    events.publish('session:signedIn', { pseudonym: 'rv-next', role: 'reviewer' });
    answer({ requests: [answered] });
    await late;
    expect(own.current()).toEqual([]);
  });

  it('keeps the last list when the service does not answer', async () => {
    const { own, callJson, cycle } = setUp([[answered]]);
    await cycle();
    callJson.mockRejectedValueOnce(new Error('offline'));
    await cycle();
    expect(own.current()).toEqual([answered]);
  });
});
