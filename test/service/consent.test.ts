/**
 * Consent withdrawn for one clip of a batch already checked out: the service erases the clip's
 * audio, details and what its annotations and escalations said, audits it, names the clip in the
 * batch status, and a package made afterwards holds nothing of it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDeviceKey } from '../../core/crypto/device-key';
import { readPackage, type ClipOutcome } from '../../core/package/package-reader';
import type { AnnotationOp, BatchListResponse, BulkResponse, EscalationOp } from '../../shared/sync/messages';
import { withdrawClip, WithdrawalError } from '../../service/consent';
import { testStoreKind } from '../support/test-store';
import { startTestService, type TestService } from '../support/reference-service';
import { makeTempDir } from '../support/temp-dir';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';

const SECRET_TRANSCRIPT = 'my card number is four four eight five';
const SECRET_NOTE = 'the speaker named their neighbour';

describe('consent withdrawn for one clip', () => {
  let svc: TestService;
  let tmp: ReturnType<typeof makeTempDir>;
  let token: string;
  const device = generateDeviceKey();

  beforeEach(async () => {
    svc = await startTestService();
    tmp = makeTempDir('earmark-consent-');
    await svc.addBatch('b-AAAAAAAAAAAAC0N1', 3);
    token = await signIn();
    const enrolled = await call('POST', '/v1/devices', {
      ...deviceEnrolment(device),
      // The code an operator issued with the workstation: the key is approved as it enrols.
      enrolmentCode: svc.enrolmentCode(),
    });
    expect(enrolled.status).toBe(201);
  });
  afterEach(async () => {
    tmp.remove();
    await svc.stop();
  });

  async function signIn(): Promise<string> {
    const r = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await svc.signInBody({ device })),
    });
    return ((await r.json()) as { token: string }).token;
  }

  async function call(method: string, path: string, json?: unknown) {
    const r = await fetch(`${svc.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    return { status: r.status, bytes: Buffer.from(await r.arrayBuffer()) };
  }

  const annotation = (clipId: string, transcript: string): AnnotationOp => ({
    opId: randomUUID(),
    batchId: 'b-AAAAAAAAAAAAC0N1',
    clipId,
    revision: 1,
    baseRevision: 0,
    baseOpId: null,
    disposition: 'transcribed',
    transcript,
    criticalCategories: [],
    entities: [],
    submittedAt: 1,
  });
  const escalation = (clipId: string, note: string): EscalationOp => ({
    opId: randomUUID(),
    batchId: 'b-AAAAAAAAAAAAC0N1',
    clipId,
    category: 'other',
    note,
    createdAt: 1,
  });

  /** Checks the batch out to the device and reads the package back with its key. */
  async function checkout(): Promise<{ bytes: Buffer; outcomes: ClipOutcome['kind'][]; withdrawn: unknown[] }> {
    const r = await call('POST', '/v1/batches/b-AAAAAAAAAAAAC0N1/checkout', { keyId: device.keyId });
    expect(r.status).toBe(200);
    const file = join(tmp.dir, `${randomUUID()}.earmark`);
    writeFileSync(file, r.bytes);
    const outcomes: ClipOutcome['kind'][] = [];
    const withdrawn: unknown[] = [];
    readPackage(
      file,
      { device, now: svc.now() },
      {
        onClip: (o) => {
          outcomes.push(o.kind);
          if (o.kind === 'withdrawn') {
            withdrawn.push(o.details);
          }
        },
      },
    ).batchKey.fill(0);
    return { bytes: r.bytes, outcomes, withdrawn };
  }

  /**
   * On SQLite, every byte the service's database keeps on disk, log included. On PostgreSQL, the
   * text of every row of every table: what the store answers. Its heap pages keep a dead row
   * until VACUUM and its WAL keeps the write until recycled (docs/deployment.md, "Erased
   * content on PostgreSQL"), which no file read here could stand for.
   */
  const storedBytes = async (): Promise<Buffer> => {
    if (testStoreKind() === 'postgres') {
      const tables = await svc.query<{ t: string }>("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'");
      const rows = await Promise.all(
        tables.map(({ t }) => svc.query<{ r: string }>(`SELECT x::text AS r FROM "${t}" x`)),
      );
      return Buffer.from(
        rows
          .flat()
          .map((x) => x.r)
          .join('\n'),
      );
    }
    const [main] = await svc.query<{ file: string }>('PRAGMA database_list');
    const files = [main?.file ?? '', `${main?.file ?? ''}-wal`].filter((f) => existsSync(f));
    return Buffer.concat(files.map((f) => readFileSync(f)));
  };

  it('erases the clip on the service, audits it, lists it, and packs nothing of it afterwards', async () => {
    const before = await checkout();
    expect(before.outcomes).toEqual(['ok', 'ok', 'ok']);
    const kept = annotation('c-AAAAAAAAAAAA0000', 'kept words');
    const gone = annotation('c-AAAAAAAAAAAA0001', SECRET_TRANSCRIPT);
    expect((await call('POST', '/v1/annotations', { ops: [kept, gone] })).status).toBe(200);
    expect(
      (await call('POST', '/v1/escalations', { ops: [escalation('c-AAAAAAAAAAAA0001', SECRET_NOTE)] })).status,
    ).toBe(200);
    expect((await storedBytes()).includes(SECRET_TRANSCRIPT)).toBe(true);

    const report = await withdrawClip(svc.service.core, {
      batchId: 'b-AAAAAAAAAAAAC0N1',
      clipId: 'c-AAAAAAAAAAAA0001',
      actor: 'operator-ana',
      source: 'cli',
    });
    expect(report).toEqual({
      batchId: 'b-AAAAAAAAAAAAC0N1',
      clipId: 'c-AAAAAAAAAAAA0001',
      annotationsErased: 1,
      escalationsErased: 1,
    });

    // The service keeps nothing of what was said: not in rows, not in free pages, not in the log.
    expect(await svc.query("SELECT audio, details FROM batch_clips WHERE clip_id = 'c-AAAAAAAAAAAA0001'")).toEqual([
      { audio: null, details: '{"id":"c-AAAAAAAAAAAA0001","consent":"withdrawn"}' },
    ]);
    const bytes = await storedBytes();
    expect(bytes.includes(SECRET_TRANSCRIPT)).toBe(false);
    expect(bytes.includes(SECRET_NOTE)).toBe(false);
    expect(bytes.includes('clip 1')).toBe(false);
    expect((await svc.service.core.store.ops.current('b-AAAAAAAAAAAAC0N1')).map((c) => c.clipId)).toEqual([
      'c-AAAAAAAAAAAA0000',
    ]);
    expect(
      (await svc.service.core.store.audit.list({ afterSeq: 0, limit: 10, action: 'admin.clips.withdraw' })).map((r) => [
        r.actor,
        r.source,
        r.outcome,
        r.subject,
        r.detail['annotationsErased'],
      ]),
    ).toEqual([['operator-ana', 'cli', 'ok', 'c-AAAAAAAAAAAA0001', 1]]);

    // Status names the clip, so the workstation that holds it can erase it at its next sync.
    const list = JSON.parse((await call('GET', '/v1/batches')).bytes.toString('utf8')) as BatchListResponse;
    expect(list.batches[0]?.withdrawnClipIds).toEqual(['c-AAAAAAAAAAAA0001']);

    // A package made now holds the clip's id and consent mark alone: no audio, no ASR text.
    const after = await checkout();
    expect(after.outcomes).toEqual(['ok', 'withdrawn', 'ok']);
    expect(after.withdrawn).toEqual([{ id: 'c-AAAAAAAAAAAA0001', consent: 'withdrawn' }]);
    expect(after.bytes.length).toBeLessThan(before.bytes.length);

    // A retry of the erased op is still a duplicate; new work on the clip is refused.
    const retry = JSON.parse(
      (await call('POST', '/v1/annotations', { ops: [gone] })).bytes.toString('utf8'),
    ) as BulkResponse;
    expect(retry.results.map((r) => r.outcome)).toEqual(['duplicate']);
    const fresh = annotation('c-AAAAAAAAAAAA0001', 'new words');
    const refused = JSON.parse(
      (
        await call('POST', '/v1/annotations', {
          ops: [{ ...fresh, revision: 2, baseRevision: 1, baseOpId: gone.opId }],
        })
      ).bytes.toString('utf8'),
    ) as BulkResponse;
    expect(refused.results.map((r) => [r.outcome, r.message])).toEqual([
      ['rejected', 'Consent for clip "c-AAAAAAAAAAAA0001" was withdrawn: the service keeps nothing of it.'],
    ]);
  });

  it('refuses to withdraw a clip the batch does not have, and audits the refusal', async () => {
    await expect(
      withdrawClip(svc.service.core, {
        batchId: 'b-AAAAAAAAAAAAC0N1',
        clipId: 'c-AAAAAAAAAAAAN0NE',
        actor: 'operator-ana',
        source: 'cli',
      }),
    ).rejects.toBeInstanceOf(WithdrawalError);
    expect(
      (await svc.service.core.store.audit.list({ afterSeq: 0, limit: 10, action: 'admin.clips.withdraw' })).map((r) => [
        r.outcome,
        r.code,
      ]),
    ).toEqual([['refused', 'not_found']]);
    expect(await svc.query("SELECT count(*) AS n FROM batch_clips WHERE details LIKE '%withdrawn%'")).toEqual([
      { n: 0 },
    ]);
  });
});
