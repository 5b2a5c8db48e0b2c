import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnnotationBody } from '../../../shared/domain/annotation';
import Database from 'better-sqlite3';
import { aad } from '../../../core/crypto/aead';
import { sealJson } from '../../../core/crypto/codec';
import { deriveLocalKey } from '../../../core/crypto/device-key';
import { writeTestPackage } from '../../support/packages';
import { testKeyStore } from '../../support/test-safe-storage';
import { makeServices, queryDb, serviceError, type ServicesEnv } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';

const body = (transcript: string, extra: Partial<AnnotationBody> = {}): AnnotationBody => ({
  transcript,
  critical: [],
  entities: [],
  ...extra,
});

describe('annotation service', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  let batchId: string;

  beforeEach(() => {
    env = makeServices();
    tmp = makeTempDir('earmark-ann-');
    const built = writeTestPackage(join(tmp.dir, 'b.earmark'), { recipient: env.services.vault.deviceKey().publicKey });
    batchId = env.services.vault.importPackage(built.file).batchId;
  });
  afterEach(() => {
    env.dispose();
    tmp.remove();
  });

  const submit = (clipId: string, basedOnRevision: number, transcript: string) =>
    env.services.annotations.submit({
      batchId,
      clipId,
      basedOnRevision,
      disposition: 'transcribed',
      body: body(transcript),
    });

  it('stores revisions append-only: an amendment adds the next and keeps the old', () => {
    const first = submit('c-AAAAAAAAAAAAAAA1', 0, 'turn on the kitchen light');
    const second = submit('c-AAAAAAAAAAAAAAA1', 1, 'turn on the kitchen lights');
    expect([first.revision, second.revision]).toEqual([1, 2]);
    expect(first.opId).not.toBe(second.opId);
    expect(
      env.services.annotations.history(batchId, 'c-AAAAAAAAAAAAAAA1').map((a) => [a.revision, a.transcript]),
    ).toEqual([
      [1, 'turn on the kitchen light'],
      [2, 'turn on the kitchen lights'],
    ]);
    expect(env.services.annotations.work(batchId, 'c-AAAAAAAAAAAAAAA1').latest?.revision).toBe(2);
  });

  it('refuses a submit or draft based on an older revision instead of overwriting newer work', () => {
    submit('c-AAAAAAAAAAAAAAA1', 0, 'first');
    submit('c-AAAAAAAAAAAAAAA1', 1, 'second');
    expect(serviceError('CONFLICT', () => submit('c-AAAAAAAAAAAAAAA1', 1, 'stale'))).toMatch(/revision 2, not 1/);
    expect(
      serviceError('CONFLICT', () =>
        env.services.annotations.saveDraft(batchId, 'c-AAAAAAAAAAAAAAA1', 0, body('old draft')),
      ),
    ).toMatch(/revision 2/);
    expect(env.services.annotations.history(batchId, 'c-AAAAAAAAAAAAAAA1')).toHaveLength(2);
  });

  it('keeps a draft across a restart and clears it when the clip is submitted', () => {
    env.services.annotations.saveDraft(batchId, 'c-AAAAAAAAAAAAAAA2', 0, body('what is the weath'));
    const reopened = env.reopen();
    expect(reopened.annotations.work(batchId, 'c-AAAAAAAAAAAAAAA2').draft).toMatchObject({
      basedOnRevision: 0,
      transcript: 'what is the weath',
    });
    reopened.annotations.submit({
      batchId,
      clipId: 'c-AAAAAAAAAAAAAAA2',
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: body('what is the weather'),
    });
    expect(reopened.annotations.work(batchId, 'c-AAAAAAAAAAAAAAA2').draft).toBeNull();
  });

  it('keeps the chosen disposition of a draft across a restart', () => {
    env.services.annotations.saveDraft(
      batchId,
      'c-AAAAAAAAAAAAAAA2',
      0,
      body('the news', { critical: [{ start: 4, end: 8, category: 'other' }] }),
      'tv_media',
    );
    const reopened = env.reopen();
    expect(reopened.annotations.work(batchId, 'c-AAAAAAAAAAAAAAA2').draft).toMatchObject({
      disposition: 'tv_media',
      transcript: 'the news',
      critical: [{ start: 4, end: 8, category: 'other' }],
    });
  });

  it('opens a draft saved without a disposition with none', () => {
    env.services.annotations.saveDraft(batchId, 'c-AAAAAAAAAAAAAAA2', 0, body('no choice yet'));
    expect(env.services.annotations.work(batchId, 'c-AAAAAAAAAAAAAAA2').draft?.disposition).toBeNull();
  });

  it('drops a draft older than the latest revision when the clip is opened', () => {
    env.services.annotations.saveDraft(batchId, 'c-AAAAAAAAAAAAAAA1', 0, body('draft on revision 0'));
    // Simulate another window having submitted meanwhile: revision 1 lands after the draft.
    submit('c-AAAAAAAAAAAAAAA1', 0, 'submitted');
    env.services.annotations.saveDraft(batchId, 'c-AAAAAAAAAAAAAAA1', 1, body('amending'));
    submit('c-AAAAAAAAAAAAAAA1', 1, 'amended');
    expect(env.services.annotations.work(batchId, 'c-AAAAAAAAAAAAAAA1')).toMatchObject({
      latest: { revision: 2, transcript: 'amended' },
      draft: null,
    });
  });

  it('remembers where the reviewer was and what is done', () => {
    env.services.annotations.setPosition(batchId, 'c-AAAAAAAAAAAAAAA2');
    submit('c-AAAAAAAAAAAAAAA1', 0, 'x');
    const state = env.reopen().annotations.state(batchId);
    expect(state).toEqual({
      batchId,
      currentClipId: 'c-AAAAAAAAAAAAAAA2',
      submitted: [{ clipId: 'c-AAAAAAAAAAAAAAA1', revision: 1, disposition: 'transcribed' }],
    });
    expect(env.services.batches.get(batchId).doneCount).toBe(1);
  });

  it('counts a clip as done once, however often it is amended', () => {
    submit('c-AAAAAAAAAAAAAAA1', 0, 'a');
    submit('c-AAAAAAAAAAAAAAA1', 1, 'b');
    expect(env.services.batches.get(batchId).doneCount).toBe(1);
  });

  it('flags a revision with critical spans as critical', () => {
    env.services.annotations.submit({
      batchId,
      clipId: 'c-AAAAAAAAAAAAAAA3',
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: body('my card is 4111 1111', { critical: [{ start: 11, end: 20, category: 'bank_card' }] }),
    });
    expect(env.services.annotations.history(batchId, 'c-AAAAAAAAAAAAAAA3')[0]?.critical).toEqual([
      { start: 11, end: 20, category: 'bank_card' },
    ]);
    // Sealed with the body: the file does not say which revision holds critical data.
    expect(queryDb(env.dataDir, 'SELECT critical, disposition FROM annotations')).toEqual([
      { critical: null, disposition: null },
    ]);
  });

  it('refuses work on clips it does not have', () => {
    expect(serviceError('NOT_FOUND', () => submit('c-AAAAAAAAAAAAA404', 0, 'x'))).toMatch(
      /no clip "c-AAAAAAAAAAAAA404"/,
    );
    expect(serviceError('NOT_FOUND', () => env.services.annotations.state('b-AAAAAAAAAAAAA404'))).toMatch(/No batch/);
  });

  it('keeps unsynced annotations readable after the batch is crypto-erased', () => {
    submit('c-AAAAAAAAAAAAAAA1', 0, 'keep me');
    env.services.vault.revoke(batchId);
    expect(env.services.annotations.history(batchId, 'c-AAAAAAAAAAAAAAA1').map((a) => a.transcript)).toEqual([
      'keep me',
    ]);
    expect(serviceError('EXPIRED', () => submit('c-AAAAAAAAAAAAAAA1', 1, 'too late'))).toMatch(/no longer active/);
  });

  it('queues an escalation with its note and category sealed', () => {
    const e = env.services.annotations.escalate({
      batchId,
      clipId: 'c-AAAAAAAAAAAAAAA2',
      category: 'self_harm',
      note: 'ESCALATION-CANARY-51',
    });
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(queryDb(env.dataDir, 'SELECT category FROM escalations')).toEqual([{ category: null }]);
    expect(env.services.annotations.escalationById(e.id)).toMatchObject({
      clipId: 'c-AAAAAAAAAAAAAAA2',
      category: 'self_harm',
      note: 'ESCALATION-CANARY-51',
    });
  });

  it('refuses an escalation note moved to another clip', () => {
    const e = env.services.annotations.escalate({
      batchId,
      clipId: 'c-AAAAAAAAAAAAAAA2',
      category: 'other',
      note: 'moved',
    });
    const other = env.services.annotations.escalate({
      batchId,
      clipId: 'c-AAAAAAAAAAAAAAA1',
      category: 'other',
      note: '',
    });
    // The rows name clips by keyed reference: point this one at the other clip's.
    const db = new Database(join(env.dataDir, 'earmark.db'));
    db.prepare('UPDATE escalations SET clip_ref = (SELECT clip_ref FROM escalations WHERE id = ?) WHERE id = ?').run(
      other.id,
      e.id,
    );
    db.close();
    expect(() => env.reopen().annotations.escalationById(e.id)).toThrow();
  });

  it('seals the category of an escalation written before categories were sealed, once the key is there', () => {
    const e = env.services.annotations.escalate({
      batchId,
      clipId: 'c-AAAAAAAAAAAAAAA2',
      category: 'child_safety',
      note: 'old',
    });
    // As an older version wrote it: the category in its column, the note alone under its id.
    const key = deriveLocalKey(testKeyStore(env.dataDir).loadOrCreateDeviceKey(), 'annotations');
    const note = sealJson(key, { note: 'old' }, aad('escalation', e.id));
    const db = new Database(join(env.dataDir, 'earmark.db'));
    db.prepare(
      "UPDATE escalations SET clip_id = 'c-AAAAAAAAAAAAAAA2', clip_ref = NULL, category = 'child_safety', note_iv = ?, note_tag = ?, note = ? WHERE id = ?",
    ).run(note.iv, note.tag, note.ciphertext, e.id);
    db.prepare("UPDATE outbox SET clip_id = 'c-AAAAAAAAAAAAAAA2' WHERE op_id = ?").run(e.id);
    db.close();
    const after = env.reopen();
    expect(after.annotations.escalationById(e.id)).toMatchObject({
      category: 'child_safety',
      note: 'old',
      clipId: 'c-AAAAAAAAAAAAAAA2',
    });
    expect(queryDb(env.dataDir, 'SELECT category, clip_id FROM escalations')).toEqual([
      { category: null, clip_id: null },
    ]);
    // Its outbox row names the clip by the same reference as the escalation now.
    expect(
      queryDb(env.dataDir, 'SELECT o.clip_id = e.clip_ref AS same FROM outbox o JOIN escalations e ON e.id = o.op_id'),
    ).toEqual([{ same: 1 }]);
  });

  it('stores transcripts, drafts and notes only as ciphertext', () => {
    submit('c-AAAAAAAAAAAAAAA1', 0, 'TRANSCRIPT-CANARY-77');
    env.services.annotations.saveDraft(batchId, 'c-AAAAAAAAAAAAAAA2', 0, body('DRAFT-CANARY-88'));
    env.services.annotations.escalate({
      batchId,
      clipId: 'c-AAAAAAAAAAAAAAA2',
      category: 'other',
      note: 'NOTE-CANARY-99',
    });
    env.services.close();
    const bytes = readdirSync(env.dataDir)
      .filter((f) => f.startsWith('earmark.db'))
      .map((f) => readFileSync(join(env.dataDir, f)).toString('latin1'))
      .join('');
    expect(bytes.length).toBeGreaterThan(0);
    for (const canary of ['TRANSCRIPT-CANARY-77', 'DRAFT-CANARY-88', 'NOTE-CANARY-99']) {
      expect(bytes).not.toContain(canary);
    }
    env.reopen();
  });
});
