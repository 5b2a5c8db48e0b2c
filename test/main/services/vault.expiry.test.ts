import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  flipClipCiphertextBit,
  writeTestPackage,
  type BuiltPackage,
} from '../../support/packages';
import {
  makeServices,
  makeTestClock,
  queryDb,
  serviceError,
  type ServicesEnv,
  type TestClock,
} from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);

describe('vault service: expiry, revocation and trusted time', () => {
  let env: ServicesEnv;
  let clock: TestClock;
  let tmp: ReturnType<typeof makeTempDir>;

  /** Writes and imports a batch of the three default clips with the given times. */
  const importBatch = (batchId: string, expiresAt: number, createdAt = T0 - MINUTE_MS): BuiltPackage => {
    const file = join(tmp.dir, `${batchId}.earmark`);
    const built = writeTestPackage(file, {
      recipient: env.services.vault.deviceKey().publicKey,
      batchId,
      createdAt: new Date(createdAt),
      expiresAt: new Date(expiresAt),
    });
    env.services.vault.importPackage(file);
    return built;
  };

  const status = (batchId: string) => env.services.batches.get(batchId).status;

  /** What the database still holds for a batch, read by a second connection. */
  const stored = (batchId: string) => ({
    keys: queryDb<{ n: number }>(env.dataDir, 'SELECT count(*) AS n FROM batch_keys WHERE batch_id = ?', batchId)[0]?.n,
    clips: queryDb<{
      state: string;
      audio: Buffer | null;
      audio_iv: Buffer | null;
      meta: Buffer | null;
      meta_iv: Buffer | null;
    }>(
      env.dataDir,
      'SELECT state, audio, audio_iv, meta, meta_iv FROM clips WHERE batch_id = ? ORDER BY ordinal',
      batchId,
    ),
  });

  const expectErased = (batchId: string, state: 'expired' | 'revoked'): void => {
    expect(status(batchId)).toBe(state);
    const left = stored(batchId);
    expect(left.keys).toBe(0);
    // The clip rows go whole, audio and details with them: an ended batch keeps none.
    expect(left.clips).toEqual([]);
    expect(serviceError('EXPIRED', () => env.services.vault.openClip(batchId, 'c-AAAAAAAAAAAAAAA1'))).toMatch(
      new RegExp(`is ${state}; its audio is gone`),
    );
    expect(serviceError('EXPIRED', () => env.services.vault.listClips(batchId))).toMatch(/its audio is gone/);
  };

  beforeEach(() => {
    clock = makeTestClock(T0);
    env = makeServices({ clock });
    tmp = makeTempDir('earmark-exp-');
  });
  afterEach(() => {
    env.dispose();
    tmp.remove();
  });

  it('erases a batch once its expiry passes: status, key, audio and details all gone', () => {
    importBatch('b-AAAAAAAAAAAAS00N', T0 + HOUR_MS);
    expect(env.services.vault.openClip('b-AAAAAAAAAAAAS00N', 'c-AAAAAAAAAAAAAAA1').asrText).toBe(
      'turn on the kitchen lights',
    );
    clock.advance(2 * HOUR_MS);
    expect(env.services.vault.expireDue()).toEqual(['b-AAAAAAAAAAAAS00N']);
    expectErased('b-AAAAAAAAAAAAS00N', 'expired');
    expect(env.services.vault.expireDue()).toEqual([]);
  });

  it('erases a quarantined clip along with the rest of its batch', () => {
    const file = join(tmp.dir, 'q.earmark');
    writeTestPackage(file, {
      recipient: env.services.vault.deviceKey().publicKey,
      batchId: 'b-AAAAAAAAAAAAAAAQ',
      createdAt: new Date(T0 - MINUTE_MS),
      expiresAt: new Date(T0 + HOUR_MS),
    });
    flipClipCiphertextBit(file, 'c-AAAAAAAAAAAAAAA2');
    env.services.vault.importPackage(file);
    clock.advance(2 * HOUR_MS);
    env.services.vault.expireDue();
    expectErased('b-AAAAAAAAAAAAAAAQ', 'expired');
    // The batch still says one clip was withheld as quarantined, with no clip row left.
    expect(env.services.batches.get('b-AAAAAAAAAAAAAAAQ').withheld).toEqual({ consentWithdrawn: 0, quarantined: 1 });
  });

  it('refuses to play an expired clip even before anything called expireDue', () => {
    importBatch('b-AAAAAAAAAAAAS00N', T0 + HOUR_MS);
    clock.advance(HOUR_MS);
    expect(
      serviceError('EXPIRED', () => env.services.vault.openClip('b-AAAAAAAAAAAAS00N', 'c-AAAAAAAAAAAAAAA1')),
    ).toMatch(/b-AAAAAAAAAAAAS00N/);
    expectErased('b-AAAAAAAAAAAAS00N', 'expired');
  });

  it('leaves batches that are not yet due alone', () => {
    importBatch('b-AAAAAAAAAAAAS00N', T0 + HOUR_MS);
    importBatch('b-AAAAAAAAAAA1ATER', T0 + DAY_MS);
    clock.advance(2 * HOUR_MS);
    expect(env.services.vault.expireDue()).toEqual(['b-AAAAAAAAAAAAS00N']);
    expect(status('b-AAAAAAAAAAA1ATER')).toBe('active');
    expect(env.services.vault.openClip('b-AAAAAAAAAAA1ATER', 'c-AAAAAAAAAAAAAAA2').durationMs).toBe(500);
  });

  it('tells the batch list when batches expire', () => {
    importBatch('b-AAAAAAAAAAAAS00N', T0 + HOUR_MS);
    const seen: unknown[] = [];
    env.services.events.subscribe((event, payload) => seen.push([event, payload]));
    clock.advance(2 * HOUR_MS);
    env.services.vault.expireDue();
    expect(seen).toEqual([
      ['batches:changed', [expect.objectContaining({ id: 'b-AAAAAAAAAAAAS00N', status: 'expired' })]],
    ]);
  });

  it('erases a revoked batch the same way, and only that batch', () => {
    importBatch('b-AAAAAAAAAAAAABAD', T0 + DAY_MS);
    importBatch('b-AAAAAAAAAAAAG00D', T0 + DAY_MS);
    env.services.vault.revoke('b-AAAAAAAAAAAAABAD');
    expectErased('b-AAAAAAAAAAAAABAD', 'revoked');
    expect(env.services.vault.openClip('b-AAAAAAAAAAAAG00D', 'c-AAAAAAAAAAAAAAA1').asrText).toBe(
      'turn on the kitchen lights',
    );
    expect(stored('b-AAAAAAAAAAAAG00D').keys).toBe(1);
  });

  it('leaves an expired batch marked expired when it is revoked later', () => {
    importBatch('b-AAAAAAAAAAAAA01D', T0 + HOUR_MS);
    clock.advance(2 * HOUR_MS);
    env.services.vault.expireDue();
    env.services.vault.revoke('b-AAAAAAAAAAAAA01D');
    expectErased('b-AAAAAAAAAAAAA01D', 'expired');
  });

  it('refuses to revoke a batch it does not have', () => {
    expect(serviceError('NOT_FOUND', () => env.services.vault.revoke('b-AAAAAAAAAAAAN0PE'))).toMatch(
      /No batch "b-AAAAAAAAAAAAN0PE"/,
    );
  });

  it('keeps an erased batch erased after a restart', () => {
    importBatch('b-AAAAAAAAAAAAABAD', T0 + DAY_MS);
    env.services.vault.revoke('b-AAAAAAAAAAAAABAD');
    env.reopen();
    expectErased('b-AAAAAAAAAAAAABAD', 'revoked');
  });

  it('does not un-expire batches when the wall clock is set back a day before a restart', () => {
    importBatch('b-AAAAAAAAAEXP1RED', T0 + HOUR_MS);
    importBatch('b-AAAAAAAAABETWEEN', T0 + 5 * HOUR_MS);
    importBatch('b-AAAAAAAAAAAAFTER', T0 + 8 * HOUR_MS);
    clock.advance(2 * HOUR_MS);
    expect(env.services.vault.expireDue()).toEqual(['b-AAAAAAAAAEXP1RED']);
    // The clock reaches T; importing vouches for it without checking the other batches.
    clock.advance(4 * HOUR_MS);
    const T = T0 + 6 * HOUR_MS;
    importBatch('b-AAAAAAAAAAAAAATT', T + DAY_MS, T - MINUTE_MS);
    expect(status('b-AAAAAAAAABETWEEN')).toBe('active');

    clock.setWall(T - DAY_MS);
    env.reopen();
    expect(env.services.clock.now()).toBeGreaterThanOrEqual(T);
    expectErased('b-AAAAAAAAAEXP1RED', 'expired');
    expectErased('b-AAAAAAAAABETWEEN', 'expired');
    expect(status('b-AAAAAAAAAAAAFTER')).toBe('active');
    expect(env.services.vault.openClip('b-AAAAAAAAAAAAFTER', 'c-AAAAAAAAAAAAAAA3').durationMs).toBe(200);
  });

  it('does not un-expire batches when the wall clock jumps ahead and back while running', () => {
    importBatch('b-AAAAAAAAAAAAS00N', T0 + HOUR_MS);
    // The system clock jumps (the monotonic clock does not); importing vouches for the new time.
    clock.setWall(T0 + 2 * HOUR_MS);
    importBatch('b-AAAAAAAAAAA0THER', T0 + DAY_MS, T0 + HOUR_MS);
    clock.setWall(T0 + 10 * MINUTE_MS);
    expect(env.services.clock.now()).toBeGreaterThanOrEqual(T0 + 2 * HOUR_MS);
    expect(
      serviceError('EXPIRED', () => env.services.vault.openClip('b-AAAAAAAAAAAAS00N', 'c-AAAAAAAAAAAAAAA1')),
    ).toMatch(/expired/);
  });

  it('never returns a time earlier than one it returned before', () => {
    const seen: number[] = [];
    // Positive steps jump the wall clock alone; negative ones turn it back.
    for (const step of [HOUR_MS, -3 * HOUR_MS, 10, -DAY_MS, 5 * HOUR_MS, -2 * HOUR_MS]) {
      clock.setWall(clock.wall() + step);
      seen.push(env.services.clock.now());
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('imports after a clock rollback, recording whole milliseconds', () => {
    clock.advance(HOUR_MS);
    env.services.clock.now();
    clock.setWall(T0 - DAY_MS);
    env.reopen();
    clock.advance(1.25);
    importBatch('b-AAAAAAAAAAAA1ATE', T0 + DAY_MS);
    const [row] = queryDb<{ imported_at: number }>(
      env.dataDir,
      'SELECT imported_at FROM batches WHERE id = ?',
      'b-AAAAAAAAAAAA1ATE',
    );
    expect(Number.isInteger(row?.imported_at)).toBe(true);
    expect(row?.imported_at).toBeGreaterThanOrEqual(T0 + HOUR_MS);
  });
});
