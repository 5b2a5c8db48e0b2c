/**
 * An insider reviewer can never read a gold clip's reference. A full cycle — sign in, enrol,
 * list and check out a batch with gold clips mixed in, submit (right and wrong, then amend and
 * resend), upload timing, ask what the service holds, probe paths — and a supervisor's team
 * report: every byte of every response the service sends is captured and searched for the
 * reference's canary words, and so is the package decrypted with the reviewer's own key.
 */
import { randomUUID } from 'node:crypto';
import { OutgoingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateDeviceKey } from '../../core/crypto/device-key';
import type { AnnotationOp, TimingRecord } from '../../shared/sync/messages';
import { DEMO_SUPERVISOR } from '../../service/seed';
import { addTeamMember, createTeam, setTeamRole } from '../../service/teams';
import { testRowId } from '../support/ids';
import { addPlainBatch, GOLD_OPERATOR, mixGold, rawPackage, seedGold } from '../support/gold';
import { startTestService, type TestService } from '../support/reference-service';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';

const BATCH = 'b-AAAAAAAAAAAA0009';
/** Words no other part of the cycle says: the reference's canary. */
const CANARY = ['quokkacanary', 'marmaladeprism'] as const;
const REFERENCE = `send ${CANARY[0]} to [CRITICAL:address] ${CANARY[1]}`;

describe('a gold reference against an insider', () => {
  let svc: TestService;
  let sent: Buffer[];
  const device = generateDeviceKey();

  beforeEach(async () => {
    svc = await startTestService();
    sent = [];
    // Every response body the service writes, however it writes it.
    const capture = (chunk: unknown): void => {
      if (typeof chunk === 'string') {
        sent.push(Buffer.from(chunk, 'utf8'));
      } else if (chunk instanceof Uint8Array) {
        sent.push(Buffer.from(chunk));
      }
    };
    // The originals, taken as plain functions: their `this` is passed explicitly below, and
    // their overloads are all served by passing the arguments on as they came.
    type Method = (this: OutgoingMessage, ...args: unknown[]) => unknown;
    const write = Reflect.get(OutgoingMessage.prototype, 'write') as unknown as Method;
    const end = Reflect.get(OutgoingMessage.prototype, 'end') as unknown as Method;
    vi.spyOn(OutgoingMessage.prototype, 'write').mockImplementation(function (this: OutgoingMessage, ...args) {
      capture(args[0]);
      return Reflect.apply(write, this, args) as boolean;
    });
    vi.spyOn(OutgoingMessage.prototype, 'end').mockImplementation(function (this: OutgoingMessage, ...args) {
      capture(args[0]);
      Reflect.apply(end, this, args);
      return this;
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await svc.stop();
  });

  async function call(token: string, method: string, path: string, json?: unknown) {
    const r = await fetch(`${svc.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    return { status: r.status, bytes: Buffer.from(await r.arrayBuffer()) };
  }
  async function signIn(o: Parameters<TestService['signInBody']>[0]): Promise<string> {
    const r = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await svc.signInBody(o)),
    });
    expect(r.status).toBe(201);
    return ((await r.json()) as { token: string }).token;
  }
  const op = (clipId: string, transcript: string, base?: AnnotationOp): AnnotationOp => ({
    opId: randomUUID(),
    batchId: BATCH,
    clipId,
    revision: (base?.revision ?? 0) + 1,
    baseRevision: base?.revision ?? 0,
    baseOpId: base?.opId ?? null,
    disposition: 'transcribed',
    transcript,
    criticalCategories: [],
    entities: [],
    submittedAt: svc.now(),
  });

  it('never sends a byte of the reference, in any response of a full cycle or in the package', async () => {
    await addPlainBatch(svc.service.core, BATCH, 3);
    const goldId = await seedGold(svc.service.core, { reference: REFERENCE, asrText: 'send it to the office' });
    const [goldClip = ''] = await mixGold(svc.service.core, BATCH, [goldId]);

    const token = await signIn({ device });
    expect((await call(token, 'POST', '/v1/devices', deviceEnrolment(device, svc.enrolmentCode()))).status).toBe(201);
    expect((await call(token, 'GET', '/v1/batches')).status).toBe(200);
    const pack = await call(token, 'POST', `/v1/batches/${BATCH}/checkout`, { keyId: device.keyId });
    expect(pack.status).toBe(200);
    const inside = rawPackage(pack.bytes, device, svc.now());

    const wrong = op(goldClip, 'send it to the office');
    const right = op(goldClip, REFERENCE.replace('[CRITICAL:address]', 'somewhere'), wrong);
    for (const ops of [[wrong], [right], [wrong, right]]) {
      expect((await call(token, 'POST', '/v1/annotations', { ops })).status).toBe(200);
    }
    // A conflicting replay and a stale base, each answered with a reason.
    expect((await call(token, 'POST', '/v1/annotations', { ops: [{ ...wrong, transcript: 'x' }] })).status).toBe(200);
    expect((await call(token, 'POST', '/v1/annotations', { ops: [op(goldClip, 'again')] })).status).toBe(200);
    const records: TimingRecord[] = [
      {
        id: `${device.keyId}-1`,
        kind: 'shift',
        values: {
          id: testRowId('s-1'),
          pseudonym: 'rv-x',
          startedAt: svc.now() - 60_000,
          startReason: 'sign_in',
          lastActivityAt: svc.now(),
          endedAt: null,
          endReason: null,
        },
      },
    ];
    expect((await call(token, 'POST', '/v1/timing', { records })).status).toBe(200);
    expect((await call(token, 'GET', '/v1/devices/current/ops')).status).toBe(200);
    // Paths an insider might guess, and the supervisors' report, all refused.
    for (const path of ['/v1/gold', `/v1/gold/${goldId}`, `/v1/batches/${BATCH}/gold`, '/v1/team/shifts']) {
      expect((await call(token, 'GET', path)).status).toBeGreaterThanOrEqual(400);
    }

    await svc.addAccount(DEMO_SUPERVISOR);
    await createTeam(svc.service.core, GOLD_OPERATOR, 'north');
    await addTeamMember(svc.service.core, GOLD_OPERATOR, 'north', svc.reviewer.account);
    await addTeamMember(svc.service.core, GOLD_OPERATOR, 'north', DEMO_SUPERVISOR.account);
    await setTeamRole(svc.service.core, GOLD_OPERATOR, 'north', DEMO_SUPERVISOR.account, 'supervisor');
    const supervisor = await signIn({ account: DEMO_SUPERVISOR });
    expect((await call(supervisor, 'GET', '/v1/team/shifts')).status).toBe(200);

    // The service did score the reference: it exists, and stayed home.
    expect(await svc.query('SELECT count(*) AS n FROM gold_scores')).toEqual([{ n: 2 }]);
    const everything = Buffer.concat(sent);
    // The capture saw the answers themselves (the batch list names the batch).
    expect(sent.length).toBeGreaterThan(15);
    expect(everything.includes(BATCH)).toBe(true);
    for (const word of CANARY) {
      expect(everything.includes(word)).toBe(false);
      expect(inside.detailsText.includes(word)).toBe(false);
    }
    expect(everything.includes(goldId)).toBe(false);
  });
});
