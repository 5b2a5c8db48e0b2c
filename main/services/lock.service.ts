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
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { PIN_PATTERN, type LockReason, type LockState, type UnlockMethod } from '../../shared/domain/lock';
import { aad, open, seal } from '../../core/crypto/aead';
import { sealedFromText, sealedToText } from '../../core/crypto/codec';
import { deriveLocalKey } from '../../core/crypto/device-key';
import type { SettingsRepository } from '../db/repositories/settings.repository';
import type { Logger } from '../log/logger';
import type { EventHub } from './event-hub';
import { ServiceError } from './service-error';
import type { TrustedClock } from './trusted-clock';
import type { VaultService } from './vault.service';

export type LockDeps = {
  readonly settings: SettingsRepository;
  readonly vault: Pick<VaultService, 'lockKeys' | 'unlockKeys' | 'deviceKeyOnce'>;
  readonly clock: TrustedClock;
  /** Pushes `lock:changed` to the windows and raises `lock:locked` / `lock:unlocked`. */
  readonly events: Pick<EventHub, 'emit' | 'publish'>;
  readonly logger: Logger;
};

const KEYS = { password: 'lock.password', pin: 'lock.pin' } as const satisfies Record<
  Exclude<UnlockMethod, 'none'>,
  string
>;
/** Wrong tries allowed before a wait; each further wrong try doubles the wait. */
export const FREE_TRIES = 5;
export const FIRST_WAIT_MS = 30_000;
const SCRYPT = { N: 2 ** 14, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const SALT_BYTES = 16;

const derive = (secret: string, salt: Buffer): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCb(secret.normalize('NFC'), salt, 32, SCRYPT, (e, key) => (e ? reject(e) : resolve(key))),
  );

export function createLockService(d: LockDeps) {
  let locked = false;
  let reason: LockReason | null = null;
  let failures = 0;
  let retryAt: number | null = null;
  /** Bumped by every lock, so an unlock check that began before it cannot end it. */
  let generation = 0;

  const methods = (): UnlockMethod[] => {
    const set = (['password', 'pin'] as const).filter((m) => d.settings.has(KEYS[m]));
    return set.length > 0 ? set : ['none'];
  };
  const state = (): LockState => ({ locked, reason, methods: methods(), retryAt });
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
     * absent.
     */
    async unlock(secret?: string): Promise<LockState> {
      if (!locked) {
        return state();
      }
      const now = d.clock.now();
      if (retryAt !== null && now < retryAt) {
        throw new ServiceError('RATE_LIMITED', 'Too many wrong tries: wait a moment, then try again.', {
          retryAfterSeconds: Math.ceil((retryAt - now) / 1000),
        });
      }
      const available = methods();
      const mine = generation;
      let ok = available.includes('none');
      if (!ok) {
        if (secret === undefined || secret === '') {
          throw new ServiceError('BAD_REQUEST', 'Enter your password or PIN.');
        }
        ok = (await matches('password', secret)) || (PIN_PATTERN.test(secret) && (await matches('pin', secret)));
      }
      // `locked` may have changed while the check above awaited.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by other calls meanwhile
      if (mine !== generation || !locked) {
        return state();
      }
      if (!ok) {
        failures += 1;
        retryAt = failures >= FREE_TRIES ? now + FIRST_WAIT_MS * 2 ** (failures - FREE_TRIES) : null;
        changed();
        throw new ServiceError('WRONG_SECRET', 'That password or PIN is not right.');
      }
      locked = false;
      reason = null;
      failures = 0;
      retryAt = null;
      d.vault.unlockKeys();
      d.logger.info('lock: unlocked', { with: available.includes('none') ? 'confirmation' : 'secret' });
      changed();
      d.events.publish('lock:unlocked');
      return state();
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
      changed();
    },

    isLocked: (): boolean => locked,
  };
}

export type LockService = ReturnType<typeof createLockService>;
