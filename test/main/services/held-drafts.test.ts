import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../../core/crypto/aead';
import { generateDeviceKey } from '../../../core/crypto/device-key';
import { openDatabase } from '../../../main/db/database';
import { createHeldDrafts, type HeldDraft } from '../../../main/services/held-drafts';
import { makeTempDir } from '../../support/temp-dir';

const draft = (clipId: string, transcript: string): HeldDraft => ({
  batchId: 'b-AAAAAAAAAAAAAAA1',
  clipId,
  basedOnRevision: 0,
  body: { transcript, critical: [], entities: [] },
  disposition: null,
});

describe('held drafts', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: ReturnType<typeof openDatabase>;
  const device = generateDeviceKey();
  const held = () => createHeldDrafts({ settings: db.settings, publicKey: () => device });

  beforeEach(() => {
    tmp = makeTempDir('earmark-held-');
    db = openDatabase(join(tmp.dir, 'earmark.db'));
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('keeps only the latest draft per clip, opens them with the device key in order, and forgets them', () => {
    const h = held();
    h.hold(draft('c-AAAAAAAAAAAAAAA1', 'first words'));
    h.hold(draft('c-AAAAAAAAAAAAAAA2', 'other clip'));
    h.hold(draft('c-AAAAAAAAAAAAAAA1', 'first words, then more'));
    const saved: string[] = [];
    expect(
      h.release(
        device,
        (d) => saved.push(`${d.clipId}: ${d.body.transcript}`),
        () => undefined,
      ),
    ).toBe(2);
    expect(saved).toEqual(['c-AAAAAAAAAAAAAAA2: other clip', 'c-AAAAAAAAAAAAAAA1: first words, then more']);
    expect(h.pending()).toBe(false);
  });

  it('reports a draft that does not open with this device key, and forgets it', () => {
    const h = held();
    h.hold(draft('c-AAAAAAAAAAAAAAA1', 'kept'));
    const errors: unknown[] = [];
    const saved: string[] = [];
    expect(
      h.release(
        generateDeviceKey(),
        (d) => saved.push(d.clipId),
        (e) => errors.push(e),
      ),
    ).toBe(0);
    expect(errors[0]).toBeInstanceOf(AuthenticationError);
    expect(saved).toEqual([]);
    expect(db.settings.get('lock.heldDrafts')).toBeUndefined();
  });
});
