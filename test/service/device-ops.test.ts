/**
 * GET /v1/devices/current/ops over real HTTP: what the service holds of the caller's own ops
 * from the session's device, and its epoch; the batch list carries the same figures. An insider
 * learns nothing about another device or another reviewer.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDeviceKey, type DeviceKey } from '../../core/crypto/device-key';
import type { AnnotationOp, BatchListResponse, DeviceOpsResponse } from '../../shared/sync/messages';
import { CLI_SOURCE } from '../../service/audit';
import { announceRestore } from '../../service/restore-notice';
import type { SeedAccount } from '../../service/seed';
import { call, codeOf, type Answer, type CallOptions } from '../support/http-client';
import { startTestService, type TestService } from '../support/reference-service';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';

const OTHER: SeedAccount = {
  account: 'other',
  password: 'another reviewer password',
  totpSecret: 'EARMARKTESTOTHERREVIEWER23456723',
  pseudonym: 'rv-other',
  role: 'reviewer',
};

describe('what the service holds of a device’s ops', () => {
  let svc: TestService;
  let clips: string[];

  beforeEach(async () => {
    svc = await startTestService();
    clips = await svc.addBatch('b-AAAAAAAAAAAAA0PS', 4);
  });
  afterEach(async () => {
    await svc.stop();
  });

  const http = (method: string, path: string, o?: CallOptions): Promise<Answer> => call(svc.url, method, path, o);
  /** Signs in with `device` and enrols it, so its uploads are taken. */
  const session = async (device: DeviceKey, account?: SeedAccount): Promise<string> => {
    const r = await http('POST', '/v1/sessions', {
      json: await svc.signInBody({ device, ...(account ? { account } : {}) }),
    });
    const token = (r.body as { token: string }).token;
    await http('POST', '/v1/devices', {
      token,
      json: deviceEnrolment(device),
    });
    return token;
  };
  const op = (clipId: string, revision: number): AnnotationOp => ({
    opId: randomUUID(),
    batchId: 'b-AAAAAAAAAAAAA0PS',
    clipId,
    revision,
    baseRevision: null,
    baseOpId: null,
    disposition: 'transcribed',
    transcript: `revision ${revision}`,
    criticalCategories: [],
    entities: [],
    submittedAt: svc.now(),
  });
  const upload = async (token: string, ops: AnnotationOp[]): Promise<number[]> => {
    const r = await http('POST', '/v1/annotations', { token, json: { ops } });
    return (r.body as { results: { result?: { serverSeq: number } }[] }).results.map((x) => x.result?.serverSeq ?? 0);
  };
  /** The figures as both answers give them: their own request, and the batch list that opens each sync cycle. */
  const figures = async (token: string): Promise<DeviceOpsResponse> => {
    const r = await http('GET', '/v1/devices/current/ops', { token });
    expect(r.status).toBe(200);
    const listed = await http('GET', '/v1/batches', { token });
    expect(listed.status).toBe(200);
    expect((listed.body as BatchListResponse).deviceOps).toEqual(r.body);
    return r.body as DeviceOpsResponse;
  };

  it('counts the ops this device stored, with the highest serverSeq, and not those of another device', async () => {
    const laptop = generateDeviceKey();
    const desktop = generateDeviceKey();
    const onLaptop = await session(laptop);
    const onDesktop = await session(desktop);
    const empty = await figures(onLaptop);
    expect(empty).toEqual({
      keyId: laptop.keyId,
      epoch: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
      highSeq: 0,
      count: 0,
    });

    const seqs = await upload(onLaptop, [op(clips[0] ?? '', 1), op(clips[1] ?? '', 1)]);
    await upload(onDesktop, [op(clips[2] ?? '', 1)]);
    expect(await figures(onLaptop)).toEqual({ ...empty, highSeq: Math.max(...seqs), count: 2 });
    expect(await figures(onDesktop)).toMatchObject({ keyId: desktop.keyId, count: 1 });
  });

  it('tells an insider nothing of another reviewer, and refuses a caller without a session', async () => {
    await svc.addAccount(OTHER);
    const laptop = generateDeviceKey();
    const mine = await session(laptop);
    await upload(mine, [op(clips[0] ?? '', 1)]);
    // The other reviewer signs in with the very same device key: still only their own ops count.
    const theirs = await session(laptop, OTHER);
    expect(await figures(theirs)).toMatchObject({ keyId: laptop.keyId, highSeq: 0, count: 0 });
    const anonymous = await http('GET', '/v1/devices/current/ops');
    expect([anonymous.status, codeOf(anonymous)]).toEqual([401, 'token_invalid']);
  });

  it('counts an op stored before devices were noted once its device sends it again', async () => {
    const laptop = generateDeviceKey();
    const token = await session(laptop);
    const first = op(clips[0] ?? '', 1);
    await upload(token, [first]);
    // As in a store migrated from before devices were noted: the op has no device row.
    await svc.query('DELETE FROM op_devices');
    expect(await figures(token)).toMatchObject({ count: 0 });
    await upload(token, [first]);
    expect(await figures(token)).toMatchObject({ count: 1 });
  });

  it('reports a new epoch after the restore notice, and audits who gave it', async () => {
    const token = await session(generateDeviceKey());
    const before = (await figures(token)).epoch;
    const { epoch, previous } = await announceRestore(svc.service.core, { operator: 'olga', source: CLI_SOURCE });
    expect(previous).toBe(before);
    expect((await figures(token)).epoch).toBe(epoch);
    expect(epoch).not.toBe(before);
    expect(
      await svc.query("SELECT actor, source, action, outcome FROM audit_events WHERE action = 'admin.restore_notice'"),
    ).toEqual([{ actor: 'olga', source: 'cli', action: 'admin.restore_notice', outcome: 'ok' }]);
  });
});
