/**
 * What the reviewer types (drafts, revisions, escalation notes, a draft that lands while the app
 * is locked) never reaches the data folder, a temporary folder or the log as plaintext, through
 * lock, unlock, a consent withdrawal and a revocation. The ASR text and the audio have their own
 * canary (test/main/services/vault.canary.test.ts); this one plants words only a reviewer types.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../main/log/logger';
import { createServices } from '../../main/services';
import { filesUnder, scan, type Needle } from '../support/disk-scan';
import { writeTestPackage } from '../support/packages';
import { makeTestClock } from '../support/services';
import { testKeyStore } from '../support/test-safe-storage';

const CLIP_1 = 'c-AAAAAAAAAAAAAAA1';
const CLIP_2 = 'c-AAAAAAAAAAAAAAA2';

const needles = (words: readonly string[]): Needle[] =>
  words.flatMap((w) => [
    { name: `${w} (utf8)`, bytes: Buffer.from(w, 'utf8') },
    { name: `${w} (utf16le)`, bytes: Buffer.from(w, 'utf16le') },
  ]);

describe('text the reviewer types, on disk and in the log', () => {
  const savedTmpdir = process.env.TMPDIR;
  let privateTmp: string;
  beforeAll(() => {
    // Every file in this process's own temp folder is this test's or the app's.
    privateTmp = mkdtempSync(join(tmpdir(), 'earmark-typed-'));
    process.env.TMPDIR = privateTmp;
  });
  afterAll(() => {
    process.env.TMPDIR = savedTmpdir;
    rmSync(privateTmp, { recursive: true, force: true });
  });

  it('leaves none of it readable after drafts, a locked save, submits, an escalation, an erasure and a revocation', async () => {
    const tag = randomBytes(4).toString('hex');
    const typed = {
      draft: `quokka${tag} draftword`,
      heldDraft: `narwhal${tag} lockedword`,
      submitted: `axolotl${tag} submittedword`,
      withdrawn: `pangolin${tag} withdrawnword`,
      note: `capybara${tag} noteword`,
    };
    const content = needles(Object.values(typed));
    const log: string[] = [];
    const dataDir = join(privateTmp, 'data');
    const clock = makeTestClock(Date.UTC(2026, 2, 2, 9));
    const services = createServices({
      dataDir,
      appVersion: '0.0.0-test',
      logger: createLogger('debug', (line) => log.push(line)),
      keyStore: testKeyStore(dataDir),
      clock,
    });
    const inputs = join(privateTmp, 'inputs');
    const { batchId, file } = writeTestPackage(join(mkdtempSync(inputs), 'b.earmark'), {
      recipient: services.vault.deviceKey().publicKey,
    });
    services.vault.importPackage(file);
    const body = (transcript: string) => ({ transcript, critical: [], entities: [] });
    const { annotations } = services;

    annotations.saveDraft(batchId, CLIP_1, 0, body(typed.draft), null);
    annotations.submit({
      batchId,
      clipId: CLIP_1,
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: body(typed.submitted),
    });
    annotations.escalate({ batchId, clipId: CLIP_1, category: 'self_harm', note: typed.note });
    annotations.submit({
      batchId,
      clipId: CLIP_2,
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: body(typed.withdrawn),
    });
    services.lock.lock('manual');
    annotations.saveDraft(batchId, CLIP_1, 1, body(typed.heldDraft), 'transcribed');
    await services.lock.unlock();
    expect(annotations.work(batchId, CLIP_1).draft?.transcript).toBe(typed.heldDraft);
    expect(services.consent.eraseWithdrawn(batchId, [CLIP_2], null)).toEqual([CLIP_2]);
    services.vault.revoke(batchId);

    const appFiles = (): string[] => filesUnder(privateTmp).filter((f) => !f.startsWith(inputs));
    expect(appFiles().length).toBeGreaterThan(0);
    expect(scan(appFiles(), content)).toEqual([]);
    expect(log.length).toBeGreaterThan(0);
    expect(log.filter((line) => Object.values(typed).some((w) => line.includes(w.slice(0, 12))))).toEqual([]);
    services.close();
    expect(scan(appFiles(), content)).toEqual([]);
  });
});
