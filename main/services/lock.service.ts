/**
 * Locks the app after idle time, on OS lock or suspend, or on request. Locking drops every key
 * from memory at once — the vault's batch keys (zero-filled) and the device key, the annotation
 * key (zero-filled) — and no key loads again until the unlock: the vault refuses, so nothing
 * (a draft flushed late, the sync sender, a timing measurement) can bring one back. Drafts that
 * still arrive are held by the annotation service (held-drafts.ts) and saved once unlocked.
 *
 * The lock announces itself on the hub: `lock:locked` once the vault's keys are gone (the
 * annotation service drops its key, the sender records an audit event) and `lock:unlocked`
 * (held drafts are saved, the sender records it and resumes). It needs neither service. The
 * lock never runs inside a unit of work, so both events are handled before `lock` / `unlock`
 * return: no key outlives the lock call.
 *
 * What unlocks it: the password of the last sign-in and the PIN the reviewer set, each checked
 * against an scrypt verifier in the settings table sealed under a key derived from the device
 * key, so an offline guess needs the OS key store too (which matters most for a 4-digit PIN).
 * With neither — demo mode without a PIN, or nobody signed in — there is no secret to ask for:
 * the lock still clears memory and covers the screen, and the reviewer confirms to go on.
 * Saved work (drafts, revisions, the outbox) is never touched.
 *
 * A restart does not undo the lock: whenever an unlock secret exists the app starts locked.
 * With an annotation service, a process that has seen neither a successful sign-in nor an
 * unlock with a secret is not yet trusted (`awaitsProof`); the IPC guard keeps clips, work and
 * reports from it. Wrong tries are counted before the secret is checked, one try at a time, in
 * the sealed monotonic state (main/db/sealed-state.ts), so neither a burst of parallel tries nor
 * a restart nor a restored database resets the count or the wait. The same sealed record says
 * whether a secret was set (main/services/unlock-record.ts): without a service, a verifier
 * deleted from the database leaves a lock that does not open, not one that asks for nothing.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { PIN_PATTERN, type LockReason, type LockState, type UnlockMethod } from '../../shared/domain/lock';
import { aad, open, seal } from '../../core/crypto/aead';
import { sealedFromText, sealedToText } from '../../core/crypto/codec';
import { deriveLocalKey } from '../../core/crypto/device-key';
import type { SettingsRepository } from '../db/repositories/settings.repository';
import type { SealedStateAccess } from '../db/sealed-state';
import type { Logger } from '../log/logger';
import type { EventHub } from './event-hub';
import { ServiceError } from './service-error';
import { createUnlockRecord, FIRST_WAIT_MS, FREE_TRIES } from './unlock-record';
import type { TrustedClock } from './trusted-clock';
import type { VaultService } from './vault.service';

export type LockDeps = {
  readonly settings: SettingsRepository;
  readonly vault: Pick<VaultService, 'lockKeys' | 'unlockKeys' | 'deviceKeyOnce'>;
  readonly clock: TrustedClock;
  /**
   * Pushes `lock:changed` to the windows and raises `lock:locked` / `lock:unlocked`; brings
   * `session:signedIn`, which proves this process to the lock as an unlock does.
   */
  readonly events: Pick<EventHub, 'emit' | 'publish' | 'on'>;
  readonly logger: Logger;
  /**
   * Where the count of wrong tries lives: the sealed monotonic state, reached with a device key
   * read once per use (the app is locked when it is needed).
   */
  readonly failures: SealedStateAccess;
  /** An annotation service is configured: until a sign-in or an unlock, nothing is served. */
  readonly serviceMode: boolean;
};

const KEYS = { password: 'lock.password', pin: 'lock.pin' } as const satisfies Record<
  Exclude<UnlockMethod, 'none'>,
  string
>;
const SCRYPT = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const SALT_BYTES = 16;

const derive = (secret: string, salt: Buffer): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCb(secret.normalize('NFC'), salt, 32, SCRYPT, (e, key) => (e ? reject(e) : resolve(key))),
  );

export { FIRST_WAIT_MS, FREE_TRIES };

export function createLockService(d: LockDeps) {
  let locked = false;
  let reason: LockReason | null = null;
  /** Bumped by every lock, so an unlock check that began before it cannot end it. */
  let generation = 0;
  /** This process has seen a sign-in or an unlock with a secret (see the module note). */
  let proven = false;
  /** The tail of the unlock queue: one try at a time, each counted before the next starts. */
  let queue: Promise<unknown> = Promise.resolve();

  const record = createUnlockRecord({ state: d.failures, logger: d.logger });
  /**
   * A secret was set but its verifier is gone (deleted from the database). With a service the
   * lock then asks for nothing yet serves nothing until a sign-in (`awaitsProof`); without one
   * there is no other proof, so it does not open.
   */
  const secretLost = (): boolean => !hasSecret() && record.guarded();
  /** Best effort: a record that cannot be written (altered, restored) already refuses every unlock. */
  const keepGuard = (guarded: boolean): void => {
    try {
      record.guard(guarded);
    } catch (error) {
      d.logger.warn('lock: whether a secret guards the lock was not recorded', {
        error: error instanceof Error ? error.name : 'unknown',
      });
    }
  };
  /** The wait after this many wrong tries in a row: none for the first few, then doubling. */
  const retryAfter = (count: number, now: number): number | null =>
    count >= FREE_TRIES ? now + FIRST_WAIT_MS * 2 ** (count - FREE_TRIES) : null;
  /** When the next try is taken, for the lock screen; unknown (an unreadable count) shows none. */
  const retryAt = (): number | null => {
    try {
      return record.read().retryAt;
    } catch {
      return null;
    }
  };

  const methods = (): UnlockMethod[] => {
    const set = (['password', 'pin'] as const).filter((m) => d.settings.has(KEYS[m]));
    return set.length > 0 ? set : ['none'];
  };
  const hasSecret = (): boolean => !methods().includes('none');
  const state = (): LockState => ({ locked, reason, methods: methods(), retryAt: retryAt() });
  const changed = (): void => d.events.emit('lock:changed', state());

  /** Runs `use` with the verifiers' key, derived for this one use and zero-filled right after. */
  const withVerifierKey = <T>(use: (key: Buffer) => T): T => {
    const key = deriveLocalKey(d.vault.deviceKeyOnce(), 'lock-verifiers');
    try {
      return use(key);
    } finally {
      key.fill(0);
    }
  };

  const store = async (method: 'password' | 'pin', secret: string): Promise<void> => {
    const salt = randomBytes(SALT_BYTES);
    const verifier = await derive(secret, salt);
    const s = withVerifierKey((key) => seal(key, Buffer.concat([salt, verifier]), aad('lock-verifier', method)));
    verifier.fill(0);
    d.settings.set(KEYS[method], sealedToText(s));
    keepGuard(true);
  };
  const matches = async (method: 'password' | 'pin', secret: string): Promise<boolean> => {
    const stored = d.settings.get(KEYS[method]);
    if (!stored) {
      return false;
    }
    let plain: Buffer;
    try {
      plain = withVerifierKey((key) => open(key, sealedFromText(stored), aad('lock-verifier', method)));
    } catch (error) {
      // A verifier this device key cannot open matches nothing; it is never read as "no secret".
      d.logger.warn('lock: a stored verifier cannot be opened', {
        method,
        error: error instanceof Error ? error.name : 'unknown',
      });
      return false;
    }
    const candidate = await derive(secret, plain.subarray(0, SALT_BYTES));
    try {
      return timingSafeEqual(candidate, plain.subarray(SALT_BYTES));
    } finally {
      candidate.fill(0);
      plain.fill(0);
    }
  };

  const tryUnlock = async (secret?: string): Promise<LockState> => {
    if (!locked) {
      return state();
    }
    const now = d.clock.now();
    const available = methods();
    const mine = generation;
    const lost = secretLost();
    if (lost && !d.serviceMode) {
      d.logger.error('lock: a secret was set but its verifier is gone; unlock refused');
      throw new ServiceError(
        'UNAVAILABLE',
        'The unlock password or PIN is missing from this workstation’s database; ask your IT administrator.',
      );
    }
    let ok = available.includes('none');
    if (!ok) {
      if (secret === undefined || secret === '') {
        throw new ServiceError('BAD_REQUEST', 'Enter your password or PIN.');
      }
      const before = record.read();
      if (before.retryAt !== null && now < before.retryAt) {
        throw new ServiceError('RATE_LIMITED', 'Too many wrong tries: wait a moment, then try again.', {
          retryAfterSeconds: Math.ceil((before.retryAt - now) / 1000),
        });
      }
      // Counted as wrong before the check: a try cut short (a crash, a restart) still counts.
      const counted = before.count + 1;
      record.failures(counted, retryAfter(counted, now));
      ok = (await matches('password', secret)) || (PIN_PATTERN.test(secret) && (await matches('pin', secret)));
      if (!ok) {
        changed();
        throw new ServiceError('WRONG_SECRET', 'That password or PIN is not right.');
      }
      record.failures(0, null);
    }
    // `locked` may have changed while the check above awaited.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by other calls meanwhile
    if (mine !== generation || !locked) {
      return state();
    }
    locked = false;
    reason = null;
    proven = lost ? false : proven || !available.includes('none');
    d.vault.unlockKeys();
    d.logger.info('lock: unlocked', { with: available.includes('none') ? 'confirmation' : 'secret' });
    changed();
    d.events.publish('lock:unlocked');
    return state();
  };

  d.events.on('session:signedIn', () => {
    proven = true;
  });

  // A restart does not undo a lock: with a secret to ask for (or one whose verifier was deleted), the app starts locked.
  if (hasSecret()) {
    // A secret set before the record kept this is recorded now.
    keepGuard(true);
  }
  if (hasSecret() || (!d.serviceMode && secretLost())) {
    locked = true;
    reason = 'restart';
    d.vault.lockKeys();
  }

  return {
    state,

    /** Locks now: keys and decrypted clips leave memory at once. Locking twice changes nothing. */
    lock(why: LockReason): LockState {
      if (!locked) {
        locked = true;
        reason = why;
        generation += 1;
        d.vault.lockKeys();
        d.events.publish('lock:locked');
        d.logger.info('lock: locked', { reason: why });
        changed();
      }
      return state();
    },

    /**
     * Unlocks with the sign-in password or the PIN; a wrong one counts towards a wait. With no
     * secret to check (see the module note) it unlocks on the reviewer's confirmation, `secret`
     * absent. Tries run one at a time, in the order they came.
     */
    unlock(secret?: string): Promise<LockState> {
      const attempt = queue.then(() => tryUnlock(secret));
      queue = attempt.catch(() => undefined);
      return attempt;
    },

    /** Keeps a verifier of the password the reviewer just signed in with, so it unlocks offline. */
    rememberPassword: (password: string): Promise<void> => store('password', password),

    /** Sets (or replaces) the unlock PIN; refused while locked. */
    async setPin(pin: string): Promise<LockState> {
      if (locked) {
        throw new ServiceError('LOCKED', 'Unlock first.');
      }
      if (!PIN_PATTERN.test(pin)) {
        throw new ServiceError('BAD_REQUEST', 'A PIN is 4 to 12 digits.');
      }
      await store('pin', pin);
      d.logger.info('lock: PIN set');
      changed();
      return state();
    },

    /**
     * Forgets the password verifier and the PIN at sign-out: both belong to the reviewer who
     * leaves, and must not unlock the next one's session.
     */
    forgetSecrets(): void {
      d.settings.delete(KEYS.password);
      d.settings.delete(KEYS.pin);
      keepGuard(false);
      changed();
    },

    isLocked: (): boolean => locked,

    /**
     * With a service, this process has seen neither a sign-in nor an unlock with a secret: clips,
     * work and reports stay closed to it (main/ipc/lock-guard.ts). Always false without a service.
     */
    awaitsProof: (): boolean => d.serviceMode && !proven,
  };
}

export type LockService = ReturnType<typeof createLockService>;
