/**
 * The workstation's settings: the defaults, the reviewer's own choices and the admin policy on
 * top (shared/settings/effective-settings.ts). The reviewer's choices are one JSON row
 * (`settings.user`) in the settings table, holding only the keys they changed, so a default
 * changed by a later version still reaches everyone who never touched it. Settings hold no clip
 * content.
 */
import type { z } from 'zod';
import { duplicateChords, compactBinding, type HotkeyOverrides } from '../../shared/settings/hotkey-binding';
import { effectiveSettings, lockedKeys } from '../../shared/settings/effective-settings';
import {
  breakRuleKeys,
  defaultSettings,
  userSettingKeys,
  type BreakRules,
  type LockableKey,
  type PolicySettings,
  type SettingsSnapshot,
  type UserSettings,
} from '../../shared/settings/settings';
import {
  breakRuleSchemas,
  settingSchemas,
  settingsPatchSchema,
  type SettingsPatch,
} from '../../shared/settings/settings.schema';
import { InvalidSettingError, type SettingsRepository } from '../db/repositories/settings.repository';
import type { Logger } from '../log/logger';
import type { EventHub } from './event-hub';
import { ServiceError } from './service-error';

/** The settings-table row that holds the reviewer's own choices. */
export const USER_SETTINGS_KEY = 'settings.user';

export type SettingsDeps = {
  readonly settings: SettingsRepository;
  /** What the admin pinned; it wins over every user choice. */
  readonly policy: PolicySettings;
  readonly events: EventHub;
  readonly logger: Logger;
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The stored choices, key by key: a value this version no longer accepts (or a damaged row) is
 * dropped and logged, and every other choice is kept.
 */
function readStored(settings: SettingsRepository, logger: Logger): UserSettings {
  let stored: Record<string, unknown> | undefined;
  try {
    stored = settings.get(USER_SETTINGS_KEY);
  } catch (error) {
    if (!(error instanceof InvalidSettingError)) {
      throw error;
    }
    logger.warn('settings: stored choices are damaged; defaults apply');
    return {};
  }
  if (stored === undefined) {
    return {};
  }
  const out: Mutable<UserSettings> = {};
  for (const key of userSettingKeys) {
    if (stored[key] === undefined) {
      continue;
    }
    if (key === 'breaks') {
      out.breaks = readRules(stored[key], logger);
      continue;
    }
    const parsed = settingSchemas[key].safeParse(stored[key]);
    if (parsed.success) {
      (out as Record<string, unknown>)[key] = parsed.data;
    } else {
      logger.warn('settings: stored value ignored', { key });
    }
  }
  return out;
}

function readRules(value: unknown, logger: Logger): Partial<BreakRules> {
  const rules = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const out: Mutable<Partial<BreakRules>> = {};
  for (const rule of breakRuleKeys) {
    const parsed = breakRuleSchemas[rule].safeParse(rules[rule]);
    if (parsed.success) {
      (out as Record<string, unknown>)[rule] = parsed.data;
    } else if (rules[rule] !== undefined) {
      logger.warn('settings: stored value ignored', { key: `breaks.${rule}` });
    }
  }
  return out;
}

/** `"key" message; …` for every issue, naming the setting at fault. */
function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const where = issue.path.length > 0 ? ` under "${issue.path.join('.')}"` : '';
        return `${issue.keys.map((k) => `"${k}"`).join(', ')} ${issue.keys.length > 1 ? 'are' : 'is'} not a setting you can change${where}`;
      }
      return issue.path.length > 0 ? `"${issue.path.map(String).join('.')}" ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** The settings a patch changes, as the lock list names them: break rules one by one. */
function touchedKeys(patch: SettingsPatch): LockableKey[] {
  return Object.entries(patch).flatMap(([key, value]): LockableKey[] => {
    if (value === undefined) {
      return [];
    }
    if (key === 'breaks') {
      return Object.keys(value as object).map((rule) => `breaks.${rule}` as LockableKey);
    }
    return [key as LockableKey];
  });
}

function compactOverrides(map: HotkeyOverrides): HotkeyOverrides {
  return Object.fromEntries(Object.entries(map).map(([id, binding]) => [id, compactBinding(binding)]));
}

export function createSettingsService(d: SettingsDeps) {
  let user = readStored(d.settings, d.logger);
  const locked = lockedKeys(d.policy);
  const snapshot = (): SettingsSnapshot => ({ values: effectiveSettings(defaultSettings, user, d.policy), locked });

  return {
    /** The settings that apply now, and which of them the policy decides. */
    get: snapshot,

    /**
     * Stores the reviewer's changes and announces the new settings (`settings:changed`).
     * Refuses, changing nothing: a bad value (BAD_REQUEST, naming the setting), a setting the
     * policy decides (POLICY_PINNED, naming it) and one chord for two commands (CONFLICT).
     * `hotkeys` replaces the whole binding map; break rules change one by one.
     */
    update(patch: SettingsPatch): SettingsSnapshot {
      const parsed = settingsPatchSchema.safeParse(patch);
      if (!parsed.success) {
        throw new ServiceError('BAD_REQUEST', `Settings not saved: ${describe(parsed.error)}.`);
      }
      const change = parsed.data;
      const pinned = touchedKeys(change).filter((k) => locked.includes(k));
      if (pinned.length > 0) {
        const names = pinned.map((k) => `"${k}"`).join(', ');
        throw new ServiceError(
          'POLICY_PINNED',
          `Settings not saved: ${names} ${pinned.length > 1 ? 'are' : 'is'} set by your administrator.`,
        );
      }
      const [clash] = duplicateChords(change.hotkeys ?? {});
      if (clash) {
        const [chord, ids] = clash;
        throw new ServiceError(
          'CONFLICT',
          `Settings not saved: ${chord} is bound to more than one command (${ids.map((id) => `"${id}"`).join(', ')}).`,
        );
      }
      if (touchedKeys(change).length === 0) {
        return snapshot();
      }
      const { breaks, hotkeys, ...rest } = change;
      user = {
        ...user,
        ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
        ...(breaks
          ? {
              breaks: {
                ...user.breaks,
                ...Object.fromEntries(Object.entries(breaks).filter(([, v]) => v !== undefined)),
              },
            }
          : {}),
        ...(hotkeys ? { hotkeys: compactOverrides(hotkeys) } : {}),
      };
      d.settings.set(USER_SETTINGS_KEY, user);
      const next = snapshot();
      d.events.emit('settings:changed', next);
      return next;
    },
  };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
