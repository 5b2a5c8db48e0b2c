/**
 * Hearing an escalated clip over real HTTP: only a supervisor of the escalating reviewer's team
 * gets it, packed for their own approved device and readable with that key alone; every package
 * and playback is audited; withdrawn consent, an expired or revoked batch and other teams are
 * refused.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateDeviceKey, type DeviceKey } from '../../core/crypto/device-key';
import { readPackage, type ClipOutcome } from '../../core/package/package-reader';
import { CLI_SOURCE } from '../../service/audit';
import { withdrawClip } from '../../service/consent';
import { HEARING_TTL_MS } from '../../shared/sync/hearing-messages';
import type { EscalationOp } from '../../shared/sync/messages';
import { startTestService, type TestService } from '../support/reference-service';
import { formTeams, type Workstation } from '../support/team-workstations';

const SECRET_NOTE = 'the caller described an assault';
const DAY = 24 * 3_600_000;

describe('POST /v1/escalations/{opId}/clip', () => {
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;
  let batches = 0;
  let BATCH: string;
  let clips: string[];
  let opId: string;

  beforeAll(async () => {
    svc = await startTestService();
    ws = await formTeams(svc);
  });
  afterAll(async () => {
    await svc.stop();
  });

  /** A batch of the requester's, new for each test, and an escalation of its second clip. */
  beforeEach(async () => {
    batches += 1;
    BATCH = `b-AAAAAAAAAAAA${String(batches).padStart(4, '0')}`;
    clips = await svc.addBatch(BATCH, 3);
    opId = randomUUID();
    const op: EscalationOp = {
      opId,
      batchId: BATCH,
      clipId: clips[1] ?? '',
      category: 'other',
      note: SECRET_NOTE,
      createdAt: svc.now(),
    };
    const up = await ws.requester.call('POST', '/v1/escalations', { ops: [op] });
    expect(up.status, JSON.stringify(up.body)).toBe(200);
  });

  const ask = (w: Workstation, id = opId, keyId = w.device.keyId) => w.bytes(`/v1/escalations/${id}/clip`, { keyId });

  const open = (bytes: Buffer, device: DeviceKey): ClipOutcome[] => {
    const outcomes: ClipOutcome[] = [];
    readPackage(bytes, { device, now: svc.now() }, { onClip: (o) => outcomes.push(o) }).batchKey.fill(0);
    return outcomes;
  };
  /** This test's audit rows of `action`: those naming its op, or refused since it began. */
  let auditFrom = 0;
  beforeEach(async () => {
    auditFrom = (await svc.query<{ n: number }>('SELECT coalesce(max(seq), 0) AS n FROM audit_events'))[0]?.n ?? 0;
  });
  const audit = (action: string) =>
    svc.query<{ actor: string; outcome: string; code: string | null; subject: string | null; detail: string }>(
      'SELECT actor, outcome, code, subject, detail FROM audit_events WHERE action = ? AND seq > ? ORDER BY seq',
      action,
      auditFrom,
    );

  it('packs the one escalated clip for the supervisor’s device, expiring soon, and audits it', async () => {
    const r = await ask(ws.supervisor);
    expect(r.status).toBe(200);
    const outcomes = open(r.bytes, ws.supervisor.device);
    expect(outcomes.map((o) => [o.kind, o.details.id])).toEqual([['ok', clips[1]]]);
    let expiresAt = '';
    readPackage(
      r.bytes,
      { device: ws.supervisor.device, now: svc.now() },
      {
        onOpened: (h) => {
          expiresAt = h.expiresAt;
        },
        onClip: () => undefined,
      },
    ).batchKey.fill(0);
    expect(Date.parse(expiresAt)).toBe(svc.now() + HEARING_TTL_MS);
    expect(r.bytes.includes(Buffer.from(SECRET_NOTE))).toBe(false);
    expect(await audit('escalation.clip')).toEqual([
      expect.objectContaining({ actor: 'supervisor', outcome: 'ok', subject: opId }),
    ]);
  });

  it('cannot be opened with any key but the supervisor’s device key', async () => {
    const r = await ask(ws.supervisor);
    expect(() => open(r.bytes, ws.requester.device)).toThrow();
    expect(() => open(r.bytes, generateDeviceKey())).toThrow();
  });

  it('refuses the reviewer, a teammate, and the supervisor of another team, and audits each refusal', async () => {
    expect((await ask(ws.requester)).status).toBe(403);
    expect((await ask(ws.teammate)).status).toBe(403);
    const other = await ask(ws.otherSupervisor);
    expect([other.status, other.code]).toEqual([404, 'not_found']);
    expect((await audit('escalation.clip')).map((a) => [a.actor, a.outcome])).toEqual([
      ['reviewer', 'refused'],
      ['reviewer-b', 'refused'],
      ['supervisor-s', 'refused'],
    ]);
  });

  it('refuses another device’s key, an unknown op and an op that is not an escalation', async () => {
    expect((await ask(ws.supervisor, opId, ws.requester.device.keyId)).code).toBe('device_mismatch');
    expect((await ask(ws.supervisor, randomUUID())).status).toBe(404);
    expect((await ask(ws.supervisor, 'not-an-op')).status).toBe(404);
  });

  it('refuses a clip whose consent was withdrawn', async () => {
    await withdrawClip(svc.service.core, {
      batchId: BATCH,
      clipId: clips[1] ?? '',
      actor: 'tests',
      source: CLI_SOURCE,
    });
    const r = await ask(ws.supervisor);
    expect([r.status, r.code]).toEqual([410, 'clip_withdrawn']);
  });

  it('refuses once the batch is revoked', async () => {
    await svc.service.core.store.batches.revoke(BATCH, svc.now());
    const r = await ask(ws.supervisor);
    expect([r.status, r.code]).toEqual([403, 'forbidden']);
  });

  it('refuses once the batch has expired, and packs a batch near its end only until then', async () => {
    const expiring = 'b-AAAAAAAAAAAZ0001';
    await svc.service.core.store.batches.add({
      batchId: expiring,
      assignedTo: 'reviewer',
      locale: 'en-US',
      createdAt: svc.now() - DAY,
      expiresAt: svc.now() + 60_000,
      clips: (await svc.service.core.store.batches.clips(BATCH)).slice(0, 1),
    });
    const id = randomUUID();
    const op = { opId: id, batchId: expiring, clipId: clips[0], category: 'other', note: '', createdAt: svc.now() };
    expect((await ws.requester.call('POST', '/v1/escalations', { ops: [op] })).status).toBe(200);
    const soon = await ask(ws.supervisor, id);
    expect(soon.status).toBe(200);
    readPackage(
      soon.bytes,
      { device: ws.supervisor.device, now: svc.now() },
      {
        onOpened: (h) => expect(Date.parse(h.expiresAt)).toBe(svc.now() + 60_000),
        onClip: () => undefined,
      },
    ).batchKey.fill(0);
    svc.advance(60_000);
    const late = await ask(ws.supervisor, id);
    expect([late.status, late.code]).toEqual([403, 'forbidden']);
  });

  it('audits a playback the supervisor reports, and refuses reports for clips never packed for them', async () => {
    await ask(ws.supervisor);
    const played = { kind: 'escalation', subject: opId, clipId: clips[1], playedAt: svc.now() };
    expect((await ws.supervisor.call('POST', '/v1/playbacks', played)).status).toBe(204);
    expect((await ws.otherSupervisor.call('POST', '/v1/playbacks', played)).status).toBe(404);
    expect((await ws.requester.call('POST', '/v1/playbacks', played)).status).toBe(404);
    const wrongClip = { ...played, clipId: clips[0] };
    expect((await ws.supervisor.call('POST', '/v1/playbacks', wrongClip)).status).toBe(404);
    expect((await audit('clip.playback')).map((a) => [a.actor, a.outcome])).toEqual([
      ['supervisor', 'ok'],
      ['supervisor-s', 'refused'],
      ['reviewer', 'refused'],
      ['supervisor', 'refused'],
    ]);
    expect((await audit('clip.playback'))[0]?.subject).toBe(opId);
  });

  it('refuses a playback report once the package may no longer be held', async () => {
    await ask(ws.supervisor);
    await svc.service.core.store.transaction(async (tx) => {
      const grant = await tx.hearings.findGrant('escalation', opId, 'supervisor');
      expect(grant).toBeDefined();
      if (grant) {
        await tx.hearings.grant({ ...grant, expiresAt: svc.now() });
      }
    });
    const played = { kind: 'escalation', subject: opId, clipId: clips[1], playedAt: svc.now() };
    const late = await ws.supervisor.call('POST', '/v1/playbacks', played);
    expect(late.status).toBe(403);
  });
});
