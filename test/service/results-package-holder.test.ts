/**
 * A results package speaks for the device that signed it, and no further: its annotations on a
 * batch another device of the account holds are refused as they would be online (and audited),
 * and a package signed by a device another account enrolled is refused whole, whoever it names
 * as its author. Only the holding device's package is stored.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeviceKey, type DeviceKey } from '../../core/crypto/device-key';
import { deriveSigningKey } from '../../core/crypto/signing-key';
import { buildResultsPackage } from '../../core/package/results-package';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';
import { resultsImportResponseSchema, type AnnotationOp } from '../../shared/sync/messages';
import { call } from '../support/http-client';
import { startTestService, type TestService } from '../support/reference-service';
import { formTeams } from '../support/team-workstations';

const BATCH = 'b-AAAAAAAAAAAH0001';

describe('a results package for a batch', () => {
  let svc: TestService;
  let ws: Awaited<ReturnType<typeof formTeams>>;
  let clips: string[];

  beforeAll(async () => {
    svc = await startTestService();
    ws = await formTeams(svc);
    clips = await svc.addBatch(BATCH, 3);
    const out = await ws.requester.bytes(`/v1/batches/${BATCH}/checkout`, { keyId: ws.requester.device.keyId });
    expect(out.status).toBe(200);
  });
  afterAll(async () => {
    await svc.stop();
  });

  const annotation = (clipId: string): AnnotationOp => ({
    opId: randomUUID(),
    batchId: BATCH,
    clipId,
    revision: 1,
    baseRevision: 0,
    baseOpId: null,
    disposition: 'transcribed',
    transcript: 'words the insider wants stored',
    criticalCategories: [],
    entities: [],
    submittedAt: 1,
  });

  const packageFrom = async (key: DeviceKey, op: AnnotationOp, author = ws.requester.account.pseudonym) =>
    buildResultsPackage({
      deviceKeyId: key.keyId,
      signing: deriveSigningKey(key),
      author,
      service: (await svc.service.core.serviceKey()).publicKey,
      now: svc.now(),
      body: { ops: [{ kind: 'annotation', op }], timing: [] },
    });

  const upload = async (token: string, bytes: Buffer) => {
    const r = await fetch(`${svc.url}/v1/results-packages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.earmark.package' },
      body: new Uint8Array(bytes),
    });
    return { status: r.status, body: (await r.json()) as unknown };
  };

  const stored = async (opId: string) =>
    (await svc.query<{ n: number | string }>('SELECT count(*) AS n FROM ops WHERE op_id = ?', opId)).map((r) =>
      Number(r.n),
    );

  it('refuses the annotations of a device of the account that does not hold the batch', async () => {
    // A key of the insider's own, enrolled (pending, never approved) under their own session.
    const key = generateDeviceKey();
    const signIn = await call(svc.url, 'POST', '/v1/sessions', {
      json: await svc.signInBody({ account: ws.requester.account, device: key }),
    });
    const token = (signIn.body as { token: string }).token;
    expect((await call(svc.url, 'POST', '/v1/devices', { token, json: deviceEnrolment(key) })).status).toBe(201);
    const op = annotation(clips[0] ?? '');
    const answer = await upload(token, await packageFrom(key, op));
    expect(answer.status).toBe(200);
    expect(resultsImportResponseSchema.parse(answer.body).results).toEqual([
      expect.objectContaining({ opId: op.opId, outcome: 'rejected', code: 'checked_out_elsewhere' }),
    ]);
    expect(await stored(op.opId)).toEqual([0]);
    const audited = await svc.query<{ code: string; actor: string }>(
      "SELECT code, actor FROM audit_events WHERE action = 'ops.upload' AND outcome = 'refused' AND subject = ?",
      BATCH,
    );
    expect(audited).toEqual([{ code: 'checked_out_elsewhere', actor: ws.requester.account.account }]);
  });

  it('refuses a package signed by a device another account enrolled, whoever it names as author', async () => {
    const op = annotation(clips[1] ?? '');
    // The teammate's approved key, naming the requester as author, under either session.
    for (const token of [ws.teammate.token, ws.requester.token]) {
      const answer = await upload(token, await packageFrom(ws.teammate.device, op));
      expect(answer.status).toBe(403);
    }
    expect(await stored(op.opId)).toEqual([0]);
  });

  it('stores the holding device’s package', async () => {
    const op = annotation(clips[2] ?? '');
    const answer = await upload(ws.requester.token, await packageFrom(ws.requester.device, op));
    expect(answer.status).toBe(200);
    expect(resultsImportResponseSchema.parse(answer.body).results).toEqual([
      expect.objectContaining({ opId: op.opId, outcome: 'stored' }),
    ]);
    expect(await stored(op.opId)).toEqual([1]);
  });
});
