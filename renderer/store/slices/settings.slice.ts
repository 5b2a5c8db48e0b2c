import type { ReviewerApi } from '../../../shared/ipc/contract';
import type { AppError, Result } from '../../../shared/result';
import {
  defaultSettings,
  type LockableKey,
  type Settings,
  type SettingsSnapshot,
  type UserSettings,
} from '../../../shared/settings/settings';
import type { SliceCreator } from '../types';

/**
 * The settings that apply, as main computed them (defaults ← reviewer ← policy). Everything
 * that depends on a setting reads it here; the defaults stand in until main has answered.
 */
export type SettingsSlice = {
  readonly settings: {
    readonly values: Settings;
    /** What the policy decides; shown read-only. */
    readonly locked: readonly LockableKey[];
    readonly loaded: boolean;
    /** Why loading failed; the defaults apply meanwhile. */
    readonly error: AppError | null;
    load: () => Promise<void>;
    /** Takes what main pushed (`settings:changed`) or answered. */
    received: (snapshot: SettingsSnapshot) => void;
    /** Asks main to store a change; main's refusal comes back as the Result, nothing changes here. */
    update: (patch: UserSettings) => Promise<Result<SettingsSnapshot>>;
  };
};

export const createSettingsSlice =
  (api: ReviewerApi): SliceCreator<SettingsSlice> =>
  (set, get) => ({
    settings: {
      values: defaultSettings,
      locked: [],
      loaded: false,
      error: null,
      async load() {
        const result = await api.settings.get();
        if (result.ok) {
          get().settings.received(result.value);
        } else {
          set((s) => ({ settings: { ...s.settings, loaded: true, error: result.error } }));
        }
      },
      received({ values, locked }) {
        set((s) => ({ settings: { ...s.settings, values, locked, loaded: true, error: null } }));
      },
      async update(patch) {
        const result = await api.settings.update(patch);
        if (result.ok) {
          get().settings.received(result.value);
        }
        return result;
      },
    },
  });
