import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EscalationOp, TimingRecord } from '../../shared/sync/messages';
import {
  escalationInboxResponseSchema,
  myEscalationsResponseSchema,
  type EscalationInboxResponse,
} from '../../shared/sync/escalation-inbox';
import { CLI_SOURCE } from '../../service/audit';
import { withdrawClip } from '../../service/consent';
import { DEMO_REVIEWER, DEMO_SUPERVISOR, type SeedAccount } from '../../service/seed';
import { addTeamMember, createTeam, setTeamRole } from '../../service/teams';
import { testRowId } from '../support/ids';
import { startTestService, type TestService } from '../support/reference-service';
import { UNBOUNDED_ROOM } from '../support/timing-room';

const MIN = 60_000;
const OPERATOR = { operator: 'tests', source: CLI_SOURCE };
/** Words only the reviewer's own supervisors may ever read. */
const CANARY = 'canary-note-7f3a: she said he has a knife';

const account = (name: string, pseudonym: string, role: SeedAccount['role']): SeedAccount => ({
  account: name,
  password: `password of ${name}`,
  totpSecret: DEMO_REVIEWER.totpSecret,
  pseudonym,
  role,
});
const RV_B = account('reviewer-b', 'rv-b', 'reviewer');
const RV_C = account('reviewer-c', 'rv-c', 'reviewer');
const SV_SOUTH = account('supervisor-s', 'sv-s', 'supervisor');

describe('the escalation inbox over HTTP', () => {
  let svc: TestService;
  const tokens = new Map<string, string>();

  beforeEach(async () => {
    tokens.clear();
    svc = await startTestService();
    for (const a of [RV_B, RV_C, DEMO_SUPERVISOR, SV_SOUTH]) {
      await svc.addAccount(a);
    }
    const core = svc.service.core;
    await createTeam(core, OPERATOR, 'north');
    await createTeam(core, OPERATOR, 'south');
    for (const [team, member] of [
      ['north', DEMO_REVIEWER],
      ['north', RV_B],
      ['north', DEMO_SUPERVISOR],
      ['south', RV_C],
      ['south', SV_SOUTH],
    ] as const) {
      await addTeamMember(core, OPERATOR, team, member.account);
    }
    await setTeamRole(core, OPERATOR, 'north', DEMO_SUPERVISOR.account, 'supervisor');
    await setTeamRole(core, OPERATOR, 'south', SV_SOUTH.account, 'supervisor');
  });
  afterEach(async () => {
    await svc.stop();
  });

  const tokenOf = async (a: SeedAccount): Promise<string> => {
    const held = tokens.get(a.account);
    if (held) {
      return held;
    }
    const r = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await svc.signInBody({ account: a })),
    });
    expect(r.status).toBe(201);
    const { token } = (await r.json()) as { token: string };
    tokens.set(a.account, token);
    return token;
  };
  const call = async (
    who: SeedAccount,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown; text: string }> => {
    const r = await fetch(`${svc.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${await tokenOf(who)}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await r.text();
    return { status: r.status, body: JSON.parse(text) as unknown, text };
  };
  const inbox = async (who: SeedAccount, status = ''): Promise<EscalationInboxResponse> => {
    const r = await call(who, `/v1/escalations${status ? `?status=${status}` : ''}`);
    expect(r.status, r.text).toBe(200);
    return escalationInboxResponseSchema.parse(r.body);
  };
  const respond = (who: SeedAccount, opId: string, body: Record<string, unknown>) =>
    call(who, `/v1/escalations/${opId}/responses`, body);

  /** Stores an escalation as if `who` had uploaded it, `ago` ms before the service's now. */
  const escalate = async (who: SeedAccount, ago: number, o: { clip?: string; note?: string } = {}): Promise<string> => {
    const op: EscalationOp = {
      opId: randomUUID(),
      batchId: 'b-AAAAAAAAAAAA0001',
      clipId: o.clip ?? 'c-AAAAAAAAAAAA0001',
      category: 'crime_or_abuse',
      note: o.note ?? CANARY,
      createdAt: svc.now() - ago,
    };
    const [result] = await svc.service.core.store.ops.apply(
      'escalation',
      who.account,
      [{ opId: op.opId, payload: op, refusal: null }],
      svc.now(),
    );
    expect(result?.outcome).toBe('stored');
    return op.opId;
  };
  const audit = (action: string) =>
    svc.query<{ actor: string; outcome: string; code: string | null; subject: string | null; detail: string }>(
      'SELECT actor, outcome, code, subject, detail FROM audit_events WHERE action = ? ORDER BY seq',
      action,
    );

  it('lists a supervisor their team’s open escalations oldest first, with the note, and other teams nothing', async () => {
    // Signing in turns the service's clock (a fresh one-time code): sign in before the ages are set.
    await tokenOf(DEMO_SUPERVISOR);
    await tokenOf(SV_SOUTH);
    const newer = await escalate(RV_B, 5 * MIN, { clip: 'c-AAAAAAAAAAAA0002' });
    const older = await escalate(DEMO_REVIEWER, 20 * MIN);
    await escalate(RV_C, 1 * MIN, { note: 'south only' });
    const north = await inbox(DEMO_SUPERVISOR);
    expect(north.escalations.map((e) => e.opId)).toEqual([older, newer]);
    expect(north.escalations[0]).toMatchObject({
      reviewer: DEMO_REVIEWER.pseudonym,
      batchId: 'b-AAAAAAAAAAAA0001',
      clipId: 'c-AAAAAAAAAAAA0001',
      category: 'crime_or_abuse',
      note: CANARY,
      ageMs: 20 * MIN,
      urgent: false,
      ownTeam: true,
      status: 'open',
    });
    expect(north).toMatchObject({ urgentAfterMs: 30 * MIN, referralTargets: ['Trust & Safety', 'Legal', 'Welfare'] });
    const south = await call(SV_SOUTH, '/v1/escalations');
    expect(escalationInboxResponseSchema.parse(south.body).escalations.map((e) => e.reviewer)).toEqual(['rv-c']);
    expect(south.text).not.toContain('canary-note');
    expect((await audit('escalations.list')).map((a) => a.actor)).toEqual([DEMO_SUPERVISOR.account, SV_SOUTH.account]);
  });

  it('refuses reviewers the inbox with 403, and a bad status with 400', async () => {
    await escalate(DEMO_REVIEWER, MIN);
    const r = await call(DEMO_REVIEWER, '/v1/escalations');
    expect(r).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(r.text).not.toContain('canary-note');
    expect((await call(DEMO_SUPERVISOR, '/v1/escalations?status=lost')).status).toBe(400);
    expect((await call(DEMO_SUPERVISOR, '/v1/escalations?status=open&other=1')).status).toBe(400);
    expect(await audit('escalations.list')).toMatchObject([
      { actor: DEMO_REVIEWER.account, outcome: 'refused', code: 'forbidden' },
      { outcome: 'refused', code: 'bad_request' },
      { outcome: 'refused', code: 'bad_request' },
    ]);
  });

  it('turns an escalation urgent after the set time, and to every supervisor without the note after twice that', async () => {
    const opId = await escalate(DEMO_REVIEWER, 29 * MIN);
    expect((await inbox(DEMO_SUPERVISOR)).escalations[0]).toMatchObject({ urgent: false, overdue: false });
    svc.advance(MIN);
    expect((await inbox(DEMO_SUPERVISOR)).escalations[0]).toMatchObject({ urgent: true, overdue: false });
    expect((await inbox(SV_SOUTH)).escalations).toEqual([]);
    svc.advance(30 * MIN);
    const south = await call(SV_SOUTH, '/v1/escalations');
    const listed = escalationInboxResponseSchema.parse(south.body).escalations;
    expect(listed).toMatchObject([{ opId, overdue: true, ownTeam: false, note: null }]);
    expect(south.text).not.toContain('canary-note');
    // Acknowledged, it leaves the other teams' inboxes again.
    expect((await respond(DEMO_SUPERVISOR, opId, { responseId: randomUUID(), action: 'acknowledge' })).status).toBe(
      201,
    );
    expect((await inbox(SV_SOUTH)).escalations).toEqual([]);
  });

  it('takes each answer once by its response id: same body is a duplicate, another body a conflict', async () => {
    const opId = await escalate(DEMO_REVIEWER, MIN);
    const responseId = randomUUID();
    const first = await respond(DEMO_SUPERVISOR, opId, { responseId, action: 'acknowledge' });
    expect(first).toMatchObject({ status: 201, body: { responseId, outcome: 'stored', status: 'acknowledged' } });
    const again = await respond(DEMO_SUPERVISOR, opId, { action: 'acknowledge', responseId });
    expect(again).toMatchObject({ status: 200, body: { outcome: 'duplicate', status: 'acknowledged' } });
    const changed = await respond(DEMO_SUPERVISOR, opId, { responseId, action: 'close', reason: 'nothing to do' });
    expect(changed).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    // A second acknowledgement under a new id is refused by the status, not stored.
    expect((await respond(DEMO_SUPERVISOR, opId, { responseId: randomUUID(), action: 'acknowledge' })).status).toBe(
      409,
    );
    expect(await svc.query('SELECT response_id FROM escalation_responses')).toEqual([{ response_id: responseId }]);
    expect(await audit('escalation.respond')).toMatchObject([
      { actor: DEMO_SUPERVISOR.account, outcome: 'ok', subject: opId },
      { outcome: 'refused', code: 'conflict' },
      { outcome: 'refused', code: 'conflict' },
    ]);
    expect((await inbox(DEMO_SUPERVISOR)).escalations).toEqual([]);
    expect((await inbox(DEMO_SUPERVISOR, 'acknowledged')).escalations.map((e) => e.opId)).toEqual([opId]);
  });

  it('refers to a configured target only, closes with a reason, and keeps guidance out of the audit trail', async () => {
    const opId = await escalate(DEMO_REVIEWER, MIN);
    const bad = await respond(DEMO_SUPERVISOR, opId, { responseId: randomUUID(), action: 'refer', to: 'Police' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    const guidance = 'guidance-canary: take a break, we are on it';
    for (const body of [
      { action: 'guidance', text: guidance },
      { action: 'refer', to: 'Welfare' },
      { action: 'close', reason: 'handled by Welfare' },
    ]) {
      expect((await respond(DEMO_SUPERVISOR, opId, { responseId: randomUUID(), ...body })).status).toBe(201);
    }
    const [closed] = (await inbox(DEMO_SUPERVISOR, 'closed')).escalations;
    expect(closed?.responses.map((r) => [r.action, r.by, r.to ?? r.reason ?? r.text])).toEqual([
      ['guidance', DEMO_SUPERVISOR.pseudonym, guidance],
      ['refer', DEMO_SUPERVISOR.pseudonym, 'Welfare'],
      ['close', DEMO_SUPERVISOR.pseudonym, 'handled by Welfare'],
    ]);
    expect(JSON.stringify(await svc.query('SELECT detail FROM audit_events'))).not.toMatch(
      /guidance-canary|canary-note/,
    );
    const blank = await respond(DEMO_SUPERVISOR, opId, { responseId: randomUUID(), action: 'guidance', text: '  ' });
    expect(blank.status).toBe(400);
  });

  it('refuses a supervisor of another team, a reviewer, and a replayed response id from another supervisor', async () => {
    const opId = await escalate(DEMO_REVIEWER, MIN);
    const responseId = randomUUID();
    const other = await respond(SV_SOUTH, opId, { responseId, action: 'close', reason: 'not mine' });
    expect(other).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const reviewer = await respond(RV_B, opId, { responseId, action: 'acknowledge' });
    expect(reviewer).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await svc.query('SELECT * FROM escalation_responses')).toEqual([]);
    expect((await respond(DEMO_SUPERVISOR, opId, { responseId, action: 'acknowledge' })).status).toBe(201);
    // Overdue, the south supervisor sees it, but replaying north's answer is not theirs to repeat.
    svc.advance(2 * 30 * MIN);
    const other2 = await escalate(DEMO_REVIEWER, 0);
    svc.advance(2 * 30 * MIN);
    const replay = await respond(SV_SOUTH, other2, { responseId, action: 'acknowledge' });
    expect(replay).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(await svc.query('SELECT count(*) AS n FROM escalation_responses')).toEqual([{ n: 1 }]);
    expect((await audit('escalation.respond')).filter((a) => a.outcome === 'refused')).toMatchObject([
      { actor: SV_SOUTH.account, code: 'not_found' },
      { actor: RV_B.account, code: 'forbidden' },
      { actor: SV_SOUTH.account, code: 'conflict' },
    ]);
  });

  it('shows a reviewer the state and guidance of their own escalations only', async () => {
    const opId = await escalate(DEMO_REVIEWER, MIN);
    await escalate(RV_B, MIN);
    await respond(DEMO_SUPERVISOR, opId, { responseId: randomUUID(), action: 'guidance', text: 'call welfare line' });
    const mine = await call(DEMO_REVIEWER, '/v1/me/escalations');
    expect(myEscalationsResponseSchema.parse(mine.body).escalations).toMatchObject([
      { opId, status: 'acknowledged', guidance: [{ text: 'call welfare line' }] },
    ]);
    expect(mine.text).not.toContain(DEMO_SUPERVISOR.pseudonym);
    const theirs = await call(RV_B, '/v1/me/escalations');
    expect(theirs.text).not.toContain(opId);
    expect(theirs.text).not.toContain('call welfare line');
  });

  it('counts a reviewer’s escalations in the shift they fell in', async () => {
    const t = svc.now();
    const record: TimingRecord = {
      id: 'key1-1',
      kind: 'shift',
      values: {
        id: testRowId('s-1'),
        pseudonym: 'rv-x',
        startedAt: t - 60 * MIN,
        startReason: 'sign_in',
        lastActivityAt: t,
        endedAt: null,
        endReason: null,
      },
    };
    await svc.service.core.store.timing.add(DEMO_REVIEWER.account, [record], t, UNBOUNDED_ROOM);
    for (const ago of [50, 30, 10]) {
      await escalate(DEMO_REVIEWER, ago * MIN);
    }
    await escalate(DEMO_REVIEWER, 90 * MIN);
    const listed = (await inbox(DEMO_SUPERVISOR)).escalations;
    expect(listed.map((e) => [e.shiftId, e.shiftEscalations])).toEqual([
      [null, 1],
      [testRowId('s-1'), 3],
      [testRowId('s-1'), 3],
      [testRowId('s-1'), 3],
    ]);
  });

  it('refuses a malformed and an oversized answer', async () => {
    const opId = await escalate(DEMO_REVIEWER, MIN);
    expect((await respond(DEMO_SUPERVISOR, opId, { responseId: 'x', action: 'acknowledge' })).status).toBe(400);
    expect((await call(DEMO_SUPERVISOR, `/v1/escalations/${opId}/responses`, '{not json')).status).toBe(400);
    const huge = await respond(DEMO_SUPERVISOR, opId, {
      responseId: randomUUID(),
      action: 'guidance',
      text: 'x'.repeat(5 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
    expect(await svc.query('SELECT * FROM escalation_responses')).toEqual([]);
  });

  it('forgets an escalation and what supervisors wrote about it when consent for its clip is withdrawn', async () => {
    const [clipId] = await svc.addBatch('b-AAAAAAAAAAAA0001', 1);
    const opId = await escalate(DEMO_REVIEWER, MIN, { clip: clipId ?? '' });
    const guidance = 'withdrawn-canary: speak to welfare';
    await respond(DEMO_SUPERVISOR, opId, { responseId: randomUUID(), action: 'guidance', text: guidance });
    await withdrawClip(svc.service.core, {
      batchId: 'b-AAAAAAAAAAAA0001',
      clipId: clipId ?? '',
      actor: 'tests',
      source: CLI_SOURCE,
    });
    expect((await inbox(DEMO_SUPERVISOR, 'acknowledged')).escalations).toEqual([]);
    expect(JSON.stringify(await svc.query('SELECT body FROM escalation_responses'))).not.toContain('withdrawn-canary');
    const late = await respond(DEMO_SUPERVISOR, opId, { responseId: randomUUID(), action: 'acknowledge' });
    expect(late.status).toBe(404);
    const mine = await call(DEMO_REVIEWER, '/v1/me/escalations');
    expect(mine.text).not.toContain(opId);
  });
});
