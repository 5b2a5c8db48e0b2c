import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDeviceKey, type DeviceKey } from '../../core/crypto/device-key';
import type { AnnotationOp, BatchListResponse, BulkResponse } from '../../shared/sync/messages';
import { CLI_SOURCE } from '../../service/audit';
import { handOver } from '../../service/hand-over';
import { startTestService, type TestService } from '../support/reference-service';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';

type Answer = { status: number; body: unknown };

describe('one writer per clip and per batch', () => {
  let svc: TestService;
  let clips: string[];

  beforeEach(async () => {
    svc = await startTestService();
    clips = await svc.addBatch('b-AAAAAAAAAAAAA0NE', 3);
  });
  afterEach(async () => {
    await svc.stop();
  });

  const call = async (method: string, path: string, token: string, json?: unknown): Promise<Answer> => {
    const r = await fetch(`${svc.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    const text = await r.text();
    return {
      status: r.status,
      body: r.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text,
    };
  };
  /** Signs in on `device`, enrolled and approved with an enrolment code. */
  const signIn = async (device: DeviceKey): Promise<string> => {
    const r = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await svc.signInBody({ device })),
    });
    const token = ((await r.json()) as { token: string }).token;
    const enrolled = await call('POST', '/v1/devices', token, deviceEnrolment(device, svc.enrolmentCode()));
    expect(enrolled.body).toMatchObject({ state: 'approved' });
    return token;
  };
  const op = (clipId: string, revision: number, base: AnnotationOp | null, text = `rev ${revision}`): AnnotationOp => ({
    opId: randomUUID(),
    batchId: 'b-AAAAAAAAAAAAA0NE',
    clipId,
    revision,
    baseRevision: revision - 1,
    baseOpId: base?.opId ?? null,
    disposition: 'transcribed',
    transcript: text,
    criticalCategories: [],
    entities: [],
    submittedAt: 1,
  });
  const upload = async (token: string, ...ops: AnnotationOp[]) =>
    ((await call('POST', '/v1/annotations', token, { ops })).body as BulkResponse).results;
  const history = async (clipId: string): Promise<number[]> =>
    (
      await svc.query<{ revision: number }>(
        'SELECT revision FROM annotation_revisions WHERE batch_id = ? AND clip_id = ? ORDER BY revision',
        'b-AAAAAAAAAAAAA0NE',
        clipId,
      )
    ).map((r) => r.revision);
  const refusals = (action: string) =>
    svc.query<{ code: string; subject: string | null }>(
      "SELECT code, subject FROM audit_events WHERE action = ? AND outcome = 'refused' ORDER BY seq",
      action,
    );
  const holderOf = async (token: string) =>
    ((await call('GET', '/v1/batches', token)).body as BatchListResponse).batches.find(
      (b) => b.batchId === 'b-AAAAAAAAAAAAA0NE',
    )?.holder;

  it('refuses a base it does not hold or that is no longer current, says where the clip is, and leaves no holes', async () => {
    const token = await signIn(svc.device);
    const clip = clips[0] as string;
    const r1 = op(clip, 1, null);
    const orphan = op(clip, 3, op(clip, 2, r1));
    const r2 = op(clip, 2, r1);
    const stale = op(clip, 2, r1, 'written on a stale copy');
    const results = await upload(token, orphan, r1, r2, stale, op(clip, 1, null, 'a second first'));
    expect(results.map((r) => [r.outcome, r.code, r.currentRevision ?? null, r.currentOpId ?? null])).toEqual([
      ['rejected', 'base_missing', 0, null],
      ['stored', 'stored', null, null],
      ['stored', 'stored', null, null],
      ['rejected', 'base_stale', 2, r2.opId],
      ['rejected', 'base_stale', 2, r2.opId],
    ]);
    // A revision 3 on the revision 2 the service refused is never stored, whatever number it names.
    const onRefused = op(clip, 3, stale);
    const r3 = op(clip, 3, r2);
    expect((await upload(token, onRefused, r3)).map((r) => r.code)).toEqual(['base_missing', 'stored']);
    const forged = { ...op(clip, 4, r1), baseRevision: 3 };
    expect((await upload(token, forged)).map((r) => r.code)).toEqual(['base_missing']);
    expect(await history(clip)).toEqual([1, 2, 3]);
    // Resent on the revision the refusal named, the work is stored as the next one.
    expect(
      await upload(token, { ...stale, opId: randomUUID(), revision: 4, baseRevision: 3, baseOpId: r3.opId }),
    ).toMatchObject([{ code: 'stored' }]);
    expect(await history(clip)).toEqual([1, 2, 3, 4]);
  });

  it('refuses an op whose revision is not the one after its base, whole, as a bad request', async () => {
    const token = await signIn(svc.device);
    const bad = await call('POST', '/v1/annotations', token, {
      ops: [{ ...op(clips[1] as string, 1, null), revision: 2 }],
    });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(await history(clips[1] as string)).toEqual([]);
  });

  it('keeps duplicates idempotent even once their base is no longer current', async () => {
    const token = await signIn(svc.device);
    const clip = clips[0] as string;
    const r1 = op(clip, 1, null);
    const [first] = await upload(token, r1);
    await upload(token, op(clip, 2, r1));
    const [again] = await upload(token, r1);
    expect(again).toEqual({ ...first, outcome: 'duplicate', code: 'duplicate', status: 200 });
    expect(await history(clip)).toEqual([1, 2]);
  });

  it('checks a batch out to one device at a time, refusing and auditing a second device', async () => {
    const first = await signIn(svc.device);
    const other = generateDeviceKey();
    const second = await signIn(other);
    expect(
      (await call('POST', '/v1/batches/b-AAAAAAAAAAAAA0NE/checkout', first, { keyId: svc.device.keyId })).status,
    ).toBe(200);
    const refused = await call('POST', '/v1/batches/b-AAAAAAAAAAAAA0NE/checkout', second, { keyId: other.keyId });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'checked_out_elsewhere' } } });
    expect(await refusals('batch.checkout')).toEqual([{ code: 'checked_out_elsewhere', subject: other.keyId }]);
    expect([await holderOf(first), await holderOf(second)]).toEqual(['here', 'elsewhere']);
    // Its ops are refused too, stored nowhere, and audited.
    const clip = clips[0] as string;
    expect(await upload(second, op(clip, 1, null))).toMatchObject([
      { outcome: 'rejected', code: 'checked_out_elsewhere' },
    ]);
    expect(await history(clip)).toEqual([]);
    expect(await refusals('ops.upload')).toEqual([{ code: 'checked_out_elsewhere', subject: 'b-AAAAAAAAAAAAA0NE' }]);
    // A release by the device that does not hold it is refused and audited.
    const release = await call('POST', '/v1/batches/b-AAAAAAAAAAAAA0NE/release', second, { keyId: other.keyId });
    expect(release).toMatchObject({ status: 409, body: { error: { code: 'checked_out_elsewhere' } } });
    expect(await refusals('batch.release')).toEqual([{ code: 'checked_out_elsewhere', subject: 'b-AAAAAAAAAAAAA0NE' }]);
    // Another device's key named on this session is refused before anything.
    expect(
      (await call('POST', '/v1/batches/b-AAAAAAAAAAAAA0NE/release', second, { keyId: svc.device.keyId })).body,
    ).toMatchObject({
      error: { code: 'device_mismatch' },
    });
  });

  it('hands a batch over when the holding device releases it: its later work is refused as handed_over', async () => {
    const first = await signIn(svc.device);
    const other = generateDeviceKey();
    const second = await signIn(other);
    const clip = clips[0] as string;
    await call('POST', '/v1/batches/b-AAAAAAAAAAAAA0NE/checkout', first, { keyId: svc.device.keyId });
    const r1 = op(clip, 1, null);
    expect(await upload(first, r1)).toMatchObject([{ code: 'stored' }]);
    const released = await call('POST', '/v1/batches/b-AAAAAAAAAAAAA0NE/release', first, { keyId: svc.device.keyId });
    expect(released).toMatchObject({ status: 200, body: { batchId: 'b-AAAAAAAAAAAAA0NE' } });
    expect([await holderOf(first), await holderOf(second)]).toEqual(['handed_over', undefined]);
    expect((await call('POST', '/v1/batches/b-AAAAAAAAAAAAA0NE/checkout', second, { keyId: other.keyId })).status).toBe(
      200,
    );
    expect([await holderOf(first), await holderOf(second)]).toEqual(['handed_over', 'here']);
    expect(await upload(first, op(clip, 2, r1))).toMatchObject([{ code: 'handed_over' }]);
    // The new holder builds on what the service holds.
    expect(await upload(second, op(clip, 1, null, 'unaware of revision 1'))).toMatchObject([
      { code: 'base_stale', currentRevision: 1, currentOpId: r1.opId },
    ]);
    expect(await upload(second, op(clip, 2, r1, 'resent on top'))).toMatchObject([{ code: 'stored' }]);
    expect(await history(clip)).toEqual([1, 2]);
    expect(
      await svc.query("SELECT action, outcome FROM audit_events WHERE action = 'batch.release' ORDER BY seq"),
    ).toEqual([{ action: 'batch.release', outcome: 'ok' }]);
  });

  it('hands a batch over by an operator’s word: the old device’s unsynced work is surrendered', async () => {
    const first = await signIn(svc.device);
    const other = generateDeviceKey();
    const second = await signIn(other);
    const clip = clips[2] as string;
    await call('POST', '/v1/batches/b-AAAAAAAAAAAAA0NE/checkout', first, { keyId: svc.device.keyId });
    const ended = await handOver(svc.service.core, {
      batchId: 'b-AAAAAAAAAAAAA0NE',
      kind: 'forced',
      actor: 'ops',
      source: CLI_SOURCE,
    });
    expect(ended).toMatchObject({ keyId: svc.device.keyId, releaseKind: 'forced' });
    expect((await call('POST', '/v1/batches/b-AAAAAAAAAAAAA0NE/checkout', second, { keyId: other.keyId })).status).toBe(
      200,
    );
    expect(await upload(first, op(clip, 1, null, 'saved before the hand-over'))).toMatchObject([
      { code: 'handed_over' },
    ]);
    expect(await upload(second, op(clip, 1, null))).toMatchObject([{ code: 'stored' }]);
    expect(await history(clip)).toEqual([1]);
    expect(await refusals('ops.upload')).toEqual([{ code: 'handed_over', subject: 'b-AAAAAAAAAAAAA0NE' }]);
    // Nothing to move a second time while nobody else took it: refused and audited.
    await handOver(svc.service.core, {
      batchId: 'b-AAAAAAAAAAAAA0NE',
      kind: 'forced',
      actor: 'ops',
      source: CLI_SOURCE,
    });
    await expect(
      handOver(svc.service.core, { batchId: 'b-AAAAAAAAAAAAA0NE', kind: 'forced', actor: 'ops', source: CLI_SOURCE }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await refusals('admin.batches.hand_over')).toEqual([{ code: 'conflict', subject: 'b-AAAAAAAAAAAAA0NE' }]);
  });
});
