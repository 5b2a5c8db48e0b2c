import type { LockState } from '../../../shared/domain/lock';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import type { AppError, Result } from '../../../shared/result';
import type { SliceCreator } from '../types';

export type LockSlice = {
  readonly lock: {
    readonly state: LockState | null;
    readonly unlocking: boolean;
    readonly error: AppError | null;
    /** The batch that was open when the app locked; it reopens, where the reviewer was, on unlock. */
    readonly resume: string | null;
    load: () => Promise<void>;
    received: (state: LockState) => void;
    /** Locks: the screen is covered (and the audio stopped) at once, before main answers. */
    lockNow: (reason: 'idle' | 'manual') => Promise<void>;
    /** Unlocks with the password or PIN, or with no secret to confirm when there is none to ask for. */
    unlock: (secret?: string) => Promise<boolean>;
    /** Sets or changes the unlock PIN. */
    setPin: (pin: string) => Promise<Result<LockState>>;
    setResume: (batchId: string | null) => void;
  };
};

export const createLockSlice =
  (api: ReviewerApi): SliceCreator<LockSlice> =>
  (set, get) => {
    const patch = (p: Partial<LockSlice['lock']>): void => set((s) => ({ lock: { ...s.lock, ...p } }));
    return {
      lock: {
        state: null,
        unlocking: false,
        error: null,
        resume: null,
        async load() {
          const result = await api.lock.state();
          if (result.ok) {
            patch({ state: result.value });
          }
        },
        received: (state) => patch({ state, ...(state.locked ? {} : { error: null }) }),
        async lockNow(reason) {
          const current = get().lock.state;
          if (current?.locked) {
            return;
          }
          // Locally first: whatever watches the lock (audio, the review screen) reacts now.
          patch({
            state: { methods: current?.methods ?? ['none'], retryAt: current?.retryAt ?? null, locked: true, reason },
          });
          const result = await api.lock.lock({ reason });
          if (result.ok) {
            patch({ state: result.value });
          }
        },
        async unlock(secret) {
          patch({ unlocking: true, error: null });
          const result = await api.lock.unlock(secret === undefined ? {} : { secret });
          patch(result.ok ? { unlocking: false, state: result.value } : { unlocking: false, error: result.error });
          return result.ok;
        },
        async setPin(pin) {
          const result = await api.lock.setPin({ pin });
          if (result.ok) {
            patch({ state: result.value });
          }
          return result;
        },
        setResume: (resume) => patch({ resume }),
      },
    };
  };
