/**
 * Which value of a setting applies: defaults ← user settings ← policy. The policy always wins,
 * key by key (and rule by rule under `breaks`); a user setting never overrides a pinned value.
 * Pure, so the same rule can serve the settings screen and the services.
 */
import {
  breakRuleKeys,
  type BreakRuleKey,
  type BreakRules,
  type Policy,
  type SettingKey,
  type Settings,
  type UiLanguage,
} from './policy.schema';

/** What a user has chosen for themselves: any subset, break rules one by one. */
export type UserSettings = {
  readonly [K in Exclude<SettingKey, 'breaks'>]?: Settings[K];
} & { readonly breaks?: Partial<BreakRules> };

/** A setting the UI can show as admin-controlled: a top-level key or one break rule. */
export type LockableKey = SettingKey | `breaks.${BreakRuleKey}`;

/** Copies only the keys whose value is defined, so `undefined` never hides a lower layer. */
function defined<T extends object>(layer: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  for (const [key, value] of Object.entries(layer ?? {})) {
    if (value !== undefined) {
      (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

/** The settings that apply: `defaults`, then the user's choices, then the policy on top. */
export function effectiveSettings(defaults: Settings, user: UserSettings, policy: Policy): Settings {
  const { breaks: userBreaks, ...userTop } = user;
  const { breaks: policyBreaks, ...policyTop } = policy;
  return {
    ...defaults,
    ...defined(userTop),
    ...defined(policyTop),
    breaks: { ...defaults.breaks, ...defined(userBreaks), ...defined(policyBreaks) },
  };
}

/**
 * True when the policy pins `key`, so the UI shows it read-only ("set by your organisation").
 * `'breaks'` is locked when the policy pins any break rule.
 */
export function isLocked(policy: Policy, key: LockableKey): boolean {
  if (key.startsWith('breaks.')) {
    const rule = key.slice('breaks.'.length) as BreakRuleKey;
    return policy.breaks?.[rule] !== undefined;
  }
  if (key === 'breaks') {
    return breakRuleKeys.some((rule) => policy.breaks?.[rule as BreakRuleKey] !== undefined);
  }
  return policy[key as Exclude<SettingKey, 'breaks'>] !== undefined;
}

/** Every key the policy pins, for a settings screen or an audit line. */
export function lockedKeys(policy: Policy): LockableKey[] {
  const top = (Object.keys(policy) as SettingKey[]).filter((k) => k !== 'breaks' && isLocked(policy, k));
  const rules = breakRuleKeys
    .map((rule) => `breaks.${rule}` as LockableKey)
    .filter((k) => isLocked(policy, k));
  return [...top, ...rules];
}

/** The language to show: the user's choice when allowed, otherwise the first allowed one. */
export function effectiveLanguage(settings: Settings, preferred: string | undefined): UiLanguage {
  const allowed = settings.uiLanguages.find((l) => l === preferred);
  return allowed ?? settings.uiLanguages[0] ?? 'en';
}
