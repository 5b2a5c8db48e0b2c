import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Annotation } from '../../../shared/domain/annotation';
import { openDatabase, type AppDatabase } from '../../../main/db/database';
import { silentLogger } from '../../../main/log/logger';
import { createAnnotationService, type AnnotationDeps } from '../../../main/services/annotation.service';
import { createEventHub, type EventHub } from '../../../main/services/event-hub';
import { createHeldDrafts } from '../../../main/services/held-drafts';
import { createDeviceKeys } from '../../../main/services/device-keys';
import type { TrustedClock } from '../../../main/services/trusted-clock';
import { createVaultService, type VaultService } from '../../../main/services/vault.service';
import { writeTestPackage } from '../../support/packages';
import { makeTrustedClock, queryDb } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { testKeyStore } from '../../support/test-safe-storage';

const body = { transcript: 'turn on the kitchen light', critical: [], entities: [] };

/** The annotation service alone over a real database, with the dependencies a test chooses. */
describe('annotation service rules', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: AppDatabase;
  let events: EventHub;
  let vault: VaultService;
  let batchId: string;
  let delivered: string[];
  let locked: boolean;
  // One trusted clock per database, as the app has: its sealed floor has one writer.
  let clock: TrustedClock;

  const make = (overrides: Partial<AnnotationDeps> = {}) =>
    createAnnotationService({
      annotations: db.annotations,
      batches: db.batches,
      clips: db.vault,
      vault,
      clipRef: (b, c) => `ref-${b}-${c}`,
      clock,
      events,
      logger: silentLogger,
      unitOfWork: db.unitOfWork,
      measureSubmit: () => undefined,
      lockState: { isLocked: () => locked },
      heldDrafts: createHeldDrafts({ settings: db.settings, publicKey: () => vault.devicePublicKey() }),
      author: () => 'rv-1',
      ...overrides,
    });
  const count = (table: string): number =>
    queryDb<{ n: number }>(tmp.dir, `SELECT count(*) AS n FROM ${table}`)[0]?.n ?? -1;

  beforeEach(() => {
    tmp = makeTempDir('earmark-ann-rules-');
    db = openDatabase(join(tmp.dir, 'earmark.db'));
    events = createEventHub({ afterCommit: db.unitOfWork.afterCommit });
    clock = makeTrustedClock(db, tmp.dir);
    vault = createVaultService({
      vault: db.vault,
      batches: db.batches,
      unitOfWork: db.unitOfWork,
      deviceKeys: createDeviceKeys(testKeyStore(tmp.dir)),
      clock,
      events,
      logger: silentLogger,
      staging: db.importStaging,
      worker: { dbFile: join(tmp.dir, 'earmark.db') },
    });
    batchId = vault.importPackage(
      writeTestPackage(join(tmp.dir, 'b.earmark'), { recipient: vault.deviceKey().publicKey }).file,
    ).batchId;
    locked = false;
    delivered = [];
    events.subscribe((event) => delivered.push(event));
    events.on('work:saved', () => delivered.push('work:saved'));
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  const submit = (annotations: ReturnType<typeof make>) =>
    annotations.submit({ batchId, clipId: 'c-AAAAAAAAAAAAAAA1', basedOnRevision: 0, disposition: 'transcribed', body });

  it('commits a submit and its metrics together: when measuring throws, no revision or outbox row is stored', () => {
    const annotations = make({
      measureSubmit: () => {
        throw new Error('metrics could not be stored');
      },
    });
    expect(() => submit(annotations)).toThrow('metrics could not be stored');
    expect(count('annotations')).toBe(0);
    expect(count('outbox')).toBe(0);
    expect(annotations.work(batchId, 'c-AAAAAAAAAAAAAAA1').latest).toBeNull();
    // Nothing was announced for work that was never saved.
    expect(delivered).toEqual([]);
  });

  it('measures the submitted revision inside the submit, then announces it once committed', () => {
    const measured: Annotation[] = [];
    const annotations = make({
      measureSubmit: (a) => {
        measured.push(a);
        // Inside the unit of work: the revision is written but not yet committed or announced.
        expect(count('annotations')).toBe(0);
        expect(delivered).toEqual([]);
      },
    });
    const saved = submit(annotations);
    expect(measured).toEqual([saved]);
    expect(count('annotations')).toBe(1);
    expect(delivered).toEqual(['batches:changed', 'work:saved']);
  });

  it('holds a draft saved while locked instead of sealing it under the annotation key, and saves it at unlock', () => {
    const annotations = make();
    locked = true;
    expect(annotations.saveDraft(batchId, 'c-AAAAAAAAAAAAAAA1', 0, body, 'transcribed').savedAt).toBeGreaterThan(0);
    expect(count('drafts')).toBe(0);
    expect(queryDb(tmp.dir, "SELECT key FROM settings WHERE key = 'lock.heldDrafts'")).toHaveLength(1);

    locked = false;
    events.publish('lock:unlocked');
    expect(annotations.work(batchId, 'c-AAAAAAAAAAAAAAA1').draft).toMatchObject({
      ...body,
      disposition: 'transcribed',
    });
    expect(queryDb(tmp.dir, "SELECT key FROM settings WHERE key = 'lock.heldDrafts'")).toEqual([]);
  });

  it('saves a draft sealed at once while unlocked', () => {
    const annotations = make();
    annotations.saveDraft(batchId, 'c-AAAAAAAAAAAAAAA1', 0, body);
    expect(count('drafts')).toBe(1);
    expect(annotations.work(batchId, 'c-AAAAAAAAAAAAAAA1').draft?.transcript).toBe(body.transcript);
  });
});
