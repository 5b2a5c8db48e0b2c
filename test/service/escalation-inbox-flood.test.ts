/**
 * An insider floods the escalation inbox: hundreds of escalations back-dated to look oldest. A
 * colleague's real one must still reach their supervisor.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDeviceKey } from '../../core/crypto/device-key';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';
import { CLI_SOURCE } from '../../service/audit';
import { addBatch, DEMO_REVIEWER, DEMO_SUPERVISOR, type SeedAccount } from '../../service/seed';
import { addTeamMember, createTeam, setTeamRole } from '../../service/teams';
import { MAX_INBOX_ESCALATIONS } from '../../shared/sync/escalation-inbox';
import { call, type Answer, type CallOptions } from '../support/http-client';
import { silentClips } from '../support/packages';
import { startTestService, type TestService } from '../support/reference-service';

const OPERATOR = { operator: 'tests', source: CLI_SOURCE };
const FLOODED = 'b-F100DAAAAAAAAAAA';
const REAL = 'b-REA1AAAAAAAAAAAA';
const COLLEAGUE: SeedAccount = {
  account: 'colleague',
  password: 'colleague password, long enough',
  totpSecret: 'EARMARKTESTCOLLEAGUEAAAAAAAAAAAA',
  pseudonym: 'rv-colleague',
  role: 'reviewer',
};

describe('the escalation inbox under a flood from one reviewer', () => {
  let svc: TestService;
  let flooded: string[];
  let real: string[];

  beforeEach(async () => {
    svc = await startTestService();
    flooded = await svc.addBatch(FLOODED, 2);
    await svc.addAccount(COLLEAGUE);
    await svc.addAccount(DEMO_SUPERVISOR);
    const clips = silentClips(2);
    await addBatch(svc.service.core, { batchId: REAL, assignedTo: COLLEAGUE.account, clips });
    real = clips.map((c) => c.details.id);
    const core = svc.service.core;
    await createTeam(core, OPERATOR, 'north');
    for (const a of [DEMO_REVIEWER, COLLEAGUE, DEMO_SUPERVISOR]) {
      await addTeamMember(core, OPERATOR, 'north', a.account);
    }
    await setTeamRole(core, OPERATOR, 'north', DEMO_SUPERVISOR.account, 'supervisor');
  });
  afterEach(async () => {
    await svc.stop();
  });

  const http = (method: string, path: string, o?: CallOptions): Promise<Answer> => call(svc.url, method, path, o);
  const signIn = async (account: SeedAccount, code: string): Promise<string> => {
    const device = generateDeviceKey();
    const r = await http('POST', '/v1/sessions', { json: await svc.signInBody({ device, account }) });
    expect(r.status).toBe(201);
    const token = (r.body as { token: string }).token;
    expect((await http('POST', '/v1/devices', { token, json: deviceEnrolment(device, code) })).status).toBe(201);
    return token;
  };

  it('still shows a colleague’s real escalation, each reviewer’s in turn, within the list’s limit', async () => {
    const insider = await signIn(DEMO_REVIEWER, svc.enrolmentCode());
    const colleague = await signIn(COLLEAGUE, await svc.issueEnrolmentCode(COLLEAGUE.account));
    const distress = {
      opId: randomUUID(),
      batchId: REAL,
      clipId: real[0],
      category: 'self_harm',
      note: 'caller in distress',
      createdAt: svc.now(),
    };
    expect((await http('POST', '/v1/escalations', { token: colleague, json: { ops: [distress] } })).status).toBe(200);
    // More than the list holds, all dated as early as the protocol allows.
    for (let i = 0; i < 6; i += 1) {
      const ops = Array.from({ length: 100 }, () => ({
        opId: randomUUID(),
        batchId: FLOODED,
        clipId: flooded[0],
        category: 'other',
        note: '',
        createdAt: 1,
      }));
      const r = await http('POST', '/v1/escalations', { token: insider, json: { ops } });
      expect((r.body as { results: { code: string }[] }).results.filter((x) => x.code === 'stored')).toHaveLength(100);
    }
    const supervisor = await signIn(DEMO_SUPERVISOR, await svc.issueEnrolmentCode(DEMO_SUPERVISOR.account));
    const inbox = await http('GET', '/v1/escalations', { token: supervisor });
    expect(inbox.status).toBe(200);
    const listed = (inbox.body as { escalations: { opId: string; reviewer: string; createdAt: number }[] }).escalations;
    expect(listed).toHaveLength(MAX_INBOX_ESCALATIONS);
    expect(listed.map((e) => e.opId)).toContain(distress.opId);
    expect(listed.filter((e) => e.reviewer === DEMO_REVIEWER.pseudonym)).toHaveLength(MAX_INBOX_ESCALATIONS - 1);
    // Still oldest first.
    const times = listed.map((e) => e.createdAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('lists the escalations closed last, newest first, once more were closed than the list holds', async () => {
    const reviewer = await signIn(DEMO_REVIEWER, svc.enrolmentCode());
    const supervisor = await signIn(DEMO_SUPERVISOR, await svc.issueEnrolmentCode(DEMO_SUPERVISOR.account));
    const opIds: string[] = [];
    for (let i = 0; i <= MAX_INBOX_ESCALATIONS; i += 100) {
      const ops = Array.from({ length: Math.min(100, MAX_INBOX_ESCALATIONS + 1 - i) }, (_, k) => ({
        opId: randomUUID(),
        batchId: FLOODED,
        clipId: flooded[0],
        category: 'other',
        note: '',
        createdAt: svc.now() - 10_000_000 + i + k,
      }));
      opIds.push(...ops.map((o) => o.opId));
      expect((await http('POST', '/v1/escalations', { token: reviewer, json: { ops } })).status).toBe(200);
    }
    // Closed in the order they were made, one second apart: the last closed is the newest made.
    for (const opId of opIds) {
      svc.advance(1_000);
      const close = { responseId: randomUUID(), action: 'close', reason: 'handled' };
      expect((await http('POST', `/v1/escalations/${opId}/responses`, { token: supervisor, json: close })).status).toBe(
        201,
      );
    }
    const inbox = await http('GET', '/v1/escalations?status=closed', { token: supervisor });
    expect(inbox.status).toBe(200);
    const listed = (inbox.body as { escalations: { opId: string }[] }).escalations.map((e) => e.opId);
    expect(listed).toHaveLength(MAX_INBOX_ESCALATIONS);
    expect(listed).toEqual(opIds.slice(1).reverse());
  });
});
