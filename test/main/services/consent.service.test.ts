/**
 * Consent withdrawn for a clip after its batch was checked out, while this workstation holds
 * unsynced work on it: the batch status names the clip, the next sync cycle erases everything of
 * it here before anything is sent (audio, details, draft, escalation, revision bodies), drops the
 * ops the service never got with an audit event, and the clip counts as withheld.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withdrawClip } from '../../../service/consent';
import { batchListResponseSchema } from '../../../shared/sync/messages';
import { paths } from '../../../shared/sync/protocol';
import { startTestService, type TestService } from '../../support/reference-service';
import { makeServices, queryDb, serviceError, type ServicesEnv } from '../../support/services';

const body = (transcript: string) => ({ transcript, critical: [], entities: [] });
const BATCH = 'b-AAAAAAAAC0NSENT1';

describe('consent withdrawn after checkout', () => {
  let svc: TestService;
  let env: ServicesEnv;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addBatch(BATCH, 3);
    env = makeServices({ serviceUrl: svc.url });
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
  });
  afterEach(async () => {
    await env.services.sync.stop();
    env.dispose();
    await svc.stop();
  });

  const submit = (clipId: string, text: string, basedOnRevision = 0) =>
    env.services.annotations.submit({
      batchId: BATCH,
      clipId,
      basedOnRevision,
      disposition: 'transcribed',
      body: body(text),
    });

  it('names the withdrawn clip in the batch status it serves over HTTP', async () => {
    await withdrawClip(svc.service.core, {
      batchId: BATCH,
      clipId: 'c-AAAAAAAAAAAA0001',
      actor: 'tests',
      source: 'cli',
    });
    const session = await env.services.sync.syncNow();
    expect(session.connection).toBe('online');
    const signIn = await fetch(`${svc.url}${paths.sessions}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(await svc.signInBody()),
    });
    const { token } = (await signIn.json()) as { token: string };
    const list = await fetch(`${svc.url}${paths.batches}`, { headers: { authorization: `Bearer ${token}` } });
    expect(list.status).toBe(200);
    const parsed = batchListResponseSchema.parse(await list.json());
    expect(parsed.batches.find((b) => b.batchId === BATCH)?.withdrawnClipIds).toEqual(['c-AAAAAAAAAAAA0001']);
  });

  it('erases the clip and drops the unsynced work on it with an audit event, keeping the rest', async () => {
    const first = submit('c-AAAAAAAAAAAA0001', 'sent before');
    await env.services.sync.syncNow();
    expect(queryDb(env.dataDir, 'SELECT state FROM outbox WHERE op_id = ?', first.opId)).toEqual([{ state: 'acked' }]);

    // Withdrawn on the service; the workstation does not know yet and goes on working.
    await withdrawClip(svc.service.core, {
      batchId: BATCH,
      clipId: 'c-AAAAAAAAAAAA0001',
      actor: 'tests',
      source: 'cli',
    });
    const second = submit('c-AAAAAAAAAAAA0001', 'never sent', 1);
    env.services.annotations.saveDraft(BATCH, 'c-AAAAAAAAAAAA0001', 2, body('typing still'));
    env.services.annotations.escalate({
      batchId: BATCH,
      clipId: 'c-AAAAAAAAAAAA0001',
      category: 'other',
      note: 'worried',
    });
    const other = submit('c-AAAAAAAAAAAA0002', 'another clip');
    // What was sealed lately is kept in memory with its plaintext, the withdrawn clip's too.
    expect(env.services.annotations.revisionsInMemory()).toBeGreaterThan(0);

    const status = await env.services.sync.syncNow();
    expect(status).toMatchObject({ connection: 'online', pending: 0, needsAttention: [] });
    // The erasure dropped it: no text of the withdrawn clip stays in memory either.
    expect(env.services.annotations.revisionsInMemory()).toBe(0);

    // Nothing of the clip opens any more; the screen is told why.
    expect(serviceError('CONSENT_WITHDRAWN', () => env.services.vault.openClip(BATCH, 'c-AAAAAAAAAAAA0001'))).toMatch(
      /withdrawn/,
    );
    expect(serviceError('CONSENT_WITHDRAWN', () => env.services.annotations.work(BATCH, 'c-AAAAAAAAAAAA0001'))).toMatch(
      /withdrawn/,
    );
    expect(env.services.vault.listClips(BATCH).map((c) => c.id)).toEqual(['c-AAAAAAAAAAAA0000', 'c-AAAAAAAAAAAA0002']);

    // What is left on disk of it: ids, and bodies emptied. No ciphertext anyone could open.
    expect(queryDb(env.dataDir, "SELECT 1 FROM clips WHERE clip_id = 'c-AAAAAAAAAAAA0001'")).toEqual([]);
    expect(queryDb(env.dataDir, "SELECT 1 FROM drafts WHERE clip_id = 'c-AAAAAAAAAAAA0001'")).toEqual([]);
    expect(queryDb(env.dataDir, "SELECT 1 FROM escalations WHERE clip_id = 'c-AAAAAAAAAAAA0001'")).toEqual([]);
    expect(
      queryDb(
        env.dataDir,
        "SELECT revision, length(body) AS bytes, erased_at IS NOT NULL AS erased FROM annotations WHERE clip_id = 'c-AAAAAAAAAAAA0001' ORDER BY revision",
      ),
    ).toEqual([
      { revision: 1, bytes: 0, erased: 1 },
      { revision: 2, bytes: 0, erased: 1 },
    ]);
    // The dropped ops never reached the service, and the service keeps nothing of the clip.
    expect(
      queryDb(env.dataDir, "SELECT kind, state FROM outbox WHERE clip_id = 'c-AAAAAAAAAAAA0001' ORDER BY seq"),
    ).toEqual([
      { kind: 'annotation', state: 'acked' },
      { kind: 'audit', state: 'acked' },
    ]);
    expect(queryDb(env.dataDir, 'SELECT 1 FROM outbox WHERE op_id = ?', second.opId)).toEqual([]);
    expect((await svc.service.core.store.ops.current(BATCH)).map((c) => [c.clipId, c.opId])).toEqual([
      ['c-AAAAAAAAAAAA0002', other.opId],
    ]);
    const audits = (await svc.query<{ payload: string }>("SELECT payload FROM ops WHERE kind = 'audit'")).map(
      (r) => JSON.parse(r.payload) as { type: string; batchId?: string; clipId?: string },
    );
    expect(audits.filter((a) => a.type === 'clip_erased_consent_withdrawn')).toEqual([
      expect.objectContaining({ batchId: BATCH, clipId: 'c-AAAAAAAAAAAA0001' }),
    ]);

    // One counting rule: the batch counts all its clips and names the withheld one.
    expect(env.services.batches.get(BATCH)).toMatchObject({
      clipCount: 3,
      doneCount: 1,
      withheld: { consentWithdrawn: 1, quarantined: 0 },
    });

    // A second cycle finds nothing more to erase and records nothing more.
    await env.services.sync.syncNow();
    expect(
      queryDb(env.dataDir, "SELECT count(*) AS n FROM outbox WHERE kind = 'audit' AND clip_id = 'c-AAAAAAAAAAAA0001'"),
    ).toEqual([{ n: 1 }]);
  });

  it('erases a withdrawn clip of a batch already crypto-erased, whose revisions were kept', async () => {
    submit('c-AAAAAAAAAAAA0000', 'kept after the batch was erased');
    await env.services.sync.syncNow();
    env.services.vault.revoke(BATCH);
    expect(env.services.annotations.history(BATCH, 'c-AAAAAAAAAAAA0000')).toHaveLength(1);
    await withdrawClip(svc.service.core, {
      batchId: BATCH,
      clipId: 'c-AAAAAAAAAAAA0000',
      actor: 'tests',
      source: 'cli',
    });
    await env.services.sync.syncNow();
    expect(
      serviceError('CONSENT_WITHDRAWN', () => env.services.annotations.history(BATCH, 'c-AAAAAAAAAAAA0000')),
    ).toMatch(/withdrawn/);
    expect(
      queryDb(env.dataDir, "SELECT length(body) AS bytes FROM annotations WHERE clip_id = 'c-AAAAAAAAAAAA0000'"),
    ).toEqual([{ bytes: 0 }]);
  });
});
