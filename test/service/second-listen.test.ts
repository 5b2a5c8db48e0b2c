/**
 * The team help queue over real HTTP: a reviewer asks for a second listen on a span, a teammate
 * takes it (one taker), hears the clip packed for their own device, proposes text, and the
 * requester accepts it. Insiders outside the team, a second taker and the requester themselves
 * are refused; requests end with their batch and their clip's consent; every step is audited,
 * and the team's counts say who asked and who answered.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readPackage, type ClipOutcome } from '../../core/package/package-reader';
import { CLI_SOURCE } from '../../service/audit';
import { withdrawClip } from '../../service/consent';
import {
  listenQueueResponseSchema,
  ownListenRequestsResponseSchema,
  teamSecondListensResponseSchema,
  type NewListenRequest,
} from '../../shared/sync/hearing-messages';
import { startTestService, type TestService } from '../support/reference-service';
import { formTeams, type Workstation } from '../support/team-workstations';

const PROPOSAL = 'four forty eight';

describe('second listen', () => {
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;
  let batches = 0;
  let batchId: string;
  let clips: string[];
  let request: NewListenRequest;

  beforeAll(async () => {
    svc = await startTestService();
    ws = await formTeams(svc);
  });
  afterAll(async () => {
    await svc.stop();
  });
  beforeEach(async () => {
    batches += 1;
    batchId = `b-AAAAAAAAAAAB${String(batches).padStart(4, '0')}`;
    clips = await svc.addBatch(batchId, 2);
    request = {
      requestId: randomUUID(),
      batchId,
      clipId: clips[0] ?? '',
      span: { start: 12, end: 20 },
      window: { startMs: 100, endMs: 250 },
    };
  });

  const ask = (w: Workstation = ws.requester, r: NewListenRequest = request) =>
    w.call('POST', '/v1/listen-requests', r);
  const take = (w: Workstation, id = request.requestId) => w.call('POST', `/v1/listen-requests/${id}/take`);
  const clip = (w: Workstation, id = request.requestId) =>
    w.bytes(`/v1/listen-requests/${id}/clip`, { keyId: w.device.keyId });
  const propose = (w: Workstation, text = PROPOSAL) =>
    w.call('POST', `/v1/listen-requests/${request.requestId}/proposal`, { text });
  const decide = (w: Workstation, decision: 'accepted' | 'ignored') =>
    w.call('POST', `/v1/listen-requests/${request.requestId}/decision`, { decision });
  const queue = async (w: Workstation) => {
    const r = await w.call('GET', '/v1/listen-requests');
    expect(r.status).toBe(200);
    return listenQueueResponseSchema.parse(r.body).requests.filter((q) => q.batchId === batchId);
  };
  const own = async () => {
    const r = await ws.requester.call('GET', '/v1/me/listen-requests');
    expect(r.status).toBe(200);
    return ownListenRequestsResponseSchema.parse(r.body).requests.filter((q) => q.batchId === batchId);
  };
  const auditOf = async (subject: string) =>
    (
      await svc.query<{ action: string; actor: string; outcome: string }>(
        'SELECT action, actor, outcome FROM audit_events WHERE subject = ? ORDER BY seq',
        subject,
      )
    ).map((a) => `${a.action} ${a.actor} ${a.outcome}`);

  it('goes from request to accepted proposal, each step audited, with no transcript text on the way', async () => {
    expect((await ask()).status).toBe(201);
    const seen = await queue(ws.teammate);
    expect(seen).toEqual([
      expect.objectContaining({ requestId: request.requestId, requester: 'rv-7f3a21', state: 'open', proposal: null }),
    ]);
    // The helper is shown the clip and the stretch of audio, never offsets into the requester's text.
    expect(Object.keys(seen[0] ?? {})).not.toContain('span');
    expect((await take(ws.teammate)).status).toBe(200);
    const packed = await clip(ws.teammate);
    expect(packed.status).toBe(200);
    const outcomes: ClipOutcome[] = [];
    readPackage(packed.bytes, { device: ws.teammate.device, now: svc.now() }, { onClip: (o) => outcomes.push(o) });
    expect(outcomes.map((o) => [o.kind, o.details.id])).toEqual([['ok', request.clipId]]);
    const played = { kind: 'second_listen', subject: request.requestId, clipId: request.clipId, playedAt: 1 };
    expect((await ws.teammate.call('POST', '/v1/playbacks', played)).status).toBe(204);
    expect((await propose(ws.teammate)).status).toBe(201);
    expect(await own()).toEqual([
      expect.objectContaining({ state: 'answered', span: request.span, helper: 'rv-b', proposal: PROPOSAL }),
    ]);
    expect((await decide(ws.requester, 'accepted')).status).toBe(200);
    expect((await own())[0]?.state).toBe('accepted');
    expect(await auditOf(request.requestId)).toEqual([
      'listen.request reviewer ok',
      'listen.take reviewer-b ok',
      'listen.clip reviewer-b ok',
      'clip.playback reviewer-b ok',
      'listen.propose reviewer-b ok',
      'listen.decide reviewer ok',
    ]);
  });

  it('is idempotent by request id, and refuses the id reused for another request', async () => {
    expect((await ask()).status).toBe(201);
    expect((await ask()).status).toBe(200);
    const other = { ...request, span: { start: 0, end: 3 } };
    expect((await ask(ws.requester, other)).status).toBe(409);
    expect(await own()).toHaveLength(1);
  });

  it('has one taker: a second teammate or the supervisor is refused once it is taken', async () => {
    await ask();
    expect((await take(ws.supervisor)).status).toBe(200);
    expect((await take(ws.supervisor)).status).toBe(200);
    expect((await take(ws.teammate)).status).toBe(409);
    expect(await queue(ws.teammate)).toEqual([]);
    expect((await clip(ws.teammate)).status).toBe(403);
    expect((await propose(ws.teammate)).status).toBe(403);
  });

  it('refuses a reviewer outside the team at every step, as if the request did not exist', async () => {
    await ask();
    expect(await queue(ws.outsider)).toEqual([]);
    expect(await queue(ws.otherSupervisor)).toEqual([]);
    for (const w of [ws.outsider, ws.otherSupervisor]) {
      expect((await take(w)).status).toBe(404);
      expect((await clip(w)).status).toBe(404);
      expect((await propose(w)).status).toBe(404);
      expect((await decide(w, 'accepted')).status).toBe(404);
    }
    expect((await own())[0]?.state).toBe('open');
  });

  it('lets nobody answer their own request, nor decide on another’s', async () => {
    await ask();
    expect((await take(ws.requester)).status).toBe(403);
    await take(ws.teammate);
    await propose(ws.teammate);
    expect((await decide(ws.teammate, 'accepted')).status).toBe(404);
    expect((await decide(ws.requester, 'ignored')).status).toBe(200);
    expect((await decide(ws.requester, 'accepted')).status).toBe(409);
  });

  it('refuses asking on a batch that is not the requester’s, or on a clip withdrawn', async () => {
    expect((await ask(ws.teammate)).status).toBe(404);
    await withdrawClip(svc.service.core, { batchId, clipId: clips[1] ?? '', actor: 'tests', source: CLI_SOURCE });
    const r = await ask(ws.requester, { ...request, clipId: clips[1] ?? '' });
    expect(r.status).toBe(410);
  });

  it('closes a request whose clip is withdrawn, erasing the proposal', async () => {
    await ask();
    await take(ws.teammate);
    await propose(ws.teammate);
    await withdrawClip(svc.service.core, { batchId, clipId: request.clipId, actor: 'tests', source: CLI_SOURCE });
    expect(await own()).toEqual([expect.objectContaining({ state: 'withdrawn', proposal: null, helper: null })]);
    expect(
      await svc.query('SELECT 1 FROM listen_requests WHERE batch_id = ? AND proposal = ?', batchId, PROPOSAL),
    ).toEqual([]);
    expect((await clip(ws.teammate)).status).toBe(410);
    expect((await decide(ws.requester, 'accepted')).status).toBe(410);
  });

  it('expires with its batch: revoked, it can no longer be taken or heard', async () => {
    await ask();
    await svc.service.core.store.batches.revoke(batchId, svc.now());
    expect(await queue(ws.teammate)).toEqual([]);
    expect((await own())[0]?.state).toBe('expired');
    expect((await take(ws.teammate)).status).toBe(403);
    expect((await ask(ws.requester, { ...request, requestId: randomUUID() })).status).toBe(403);
  });

  it('counts requests and answers per reviewer for the team’s supervisor only', async () => {
    // Past what the other tests asked, so only this test's requests fall in the window.
    svc.advance(60_000);
    const from = new Date(svc.now() - 1_000).toISOString();
    await ask();
    await take(ws.teammate);
    await propose(ws.teammate);
    await ask(ws.requester, { ...request, requestId: randomUUID(), span: { start: 0, end: 2 } });
    const to = new Date(svc.now() + 1_000).toISOString();
    const r = await ws.supervisor.call('GET', `/v1/team/second-listens?from=${from}&to=${to}`);
    expect(r.status).toBe(200);
    const counts = teamSecondListensResponseSchema.parse(r.body).reviewers;
    expect(counts).toEqual([
      { pseudonym: 'rv-7f3a21', requested: 2, answeredForThem: 1, answered: 0 },
      { pseudonym: 'rv-b', requested: 0, answeredForThem: 0, answered: 1 },
    ]);
    expect((await ws.requester.call('GET', '/v1/team/second-listens')).status).toBe(403);
    const south = await ws.otherSupervisor.call('GET', `/v1/team/second-listens?from=${from}&to=${to}`);
    expect(teamSecondListensResponseSchema.parse(south.body).reviewers).toEqual([
      { pseudonym: 'rv-c', requested: 0, answeredForThem: 0, answered: 0 },
    ]);
  });
});
