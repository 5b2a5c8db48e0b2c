/**
 * A team-shifts cursor is the client's to hand back, not to write: one made by hand cannot take a
 * supervisor's query past the window a query may span, to make the service read every shift its
 * teams ever recorded in one request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAM_SHIFTS_MAX_WINDOW_MS, teamShiftsResponseSchema } from '../../shared/sync/team-shifts';
import { testRowId } from '../support/ids';
import { startTestService, type TestService } from '../support/reference-service';
import { formTeams } from '../support/team-workstations';

const DAY = 24 * 3_600_000;

describe('a team-shifts cursor made by hand', () => {
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;

  beforeAll(async () => {
    svc = await startTestService();
    ws = await formTeams(svc);
  });
  afterAll(async () => {
    await svc.stop();
  });

  const cursor = (c: Record<string, unknown>) => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

  it('cannot widen the window past what a query may span', async () => {
    const t = svc.now();
    const old = t - 200 * DAY;
    const stored = await ws.requester.call('POST', '/v1/timing', {
      records: [
        {
          id: `${ws.requester.device.keyId}-1`,
          kind: 'shift',
          values: {
            id: testRowId('s-old'),
            pseudonym: 'rv-7f3a21',
            startedAt: old,
            startReason: 'sign_in',
            lastActivityAt: old,
            endedAt: old + 3_600_000,
            endReason: 'sign_out',
          },
        },
      ],
    });
    expect(stored.status, JSON.stringify(stored.body)).toBe(200);
    // The shift is outside any window a query may name.
    const honest = await ws.supervisor.call('GET', '/v1/team/shifts');
    expect(teamShiftsResponseSchema.parse(honest.body).shifts).toEqual([]);
    const wide = { from: 0, to: t, reviewer: null, batch: null, startedAt: t, shiftId: '~', account: '~' };
    const forged = await ws.supervisor.call('GET', `/v1/team/shifts?cursor=${cursor(wide)}`);
    expect(forged.status).toBe(400);
    expect(forged.body).toEqual({
      error: { code: 'bad_request', message: expect.stringMatching(/^cursor: /) as unknown },
    });
    // Nor backwards, nor with a window of its own just past the limit.
    for (const window of [
      { from: t, to: t - DAY },
      { from: t - TEAM_SHIFTS_MAX_WINDOW_MS - 1, to: t },
    ]) {
      const r = await ws.supervisor.call('GET', `/v1/team/shifts?cursor=${cursor({ ...wide, ...window })}`);
      expect(r.status, JSON.stringify(window)).toBe(400);
    }
    // A window a query may span still pages as before.
    const fair = { ...wide, from: t - TEAM_SHIFTS_MAX_WINDOW_MS };
    expect((await ws.supervisor.call('GET', `/v1/team/shifts?cursor=${cursor(fair)}`)).status).toBe(200);
  });
});
