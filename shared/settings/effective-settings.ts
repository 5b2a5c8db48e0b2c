/**
 * Which value of a setting applies: defaults ← user settings ← policy. The policy always wins,
 * key by key (and rule by rule under `breaks`); a user setting never overrides a pinned value.
 * Pure, so main and the settings screen apply the same rule.
 */
import {
  breakRuleKeys,
  policyKeys,
  uiLanguages,
  type BreakRules,
  type LockableKey,
  type PolicySettings,
  type Settings,
  type UiLanguage,
  type UserSettings,
} from './settings';

/** Copies only the keys whose value is defined, so `undefined` never hides a lower layer. */
function defined<T extends object>(layer: T | undefined): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: { [K in keyof T]?: Exclude<T[K], undefined> } = {};
  for (const [key, value] of Object.entries(layer ?? {})) {
    if (value !== undefined) {
      (out as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

/**
 * The settings that apply: `defaults`, then the user's choices, then the policy on top. With
 * rebinding switched off by the policy the reviewer's own bindings do not apply (everyone has
 * the documented keys), and a language the policy does not allow falls back to the system's.
 */
export function effectiveSettings(defaults: Settings, user: UserSettings, policy: PolicySettings): Settings {
  const { breaks: userBreaks, ...userTop } = user;
  const { breaks: policyBreaks, ...policyTop } = policy;
  const merged: Settings = {
    ...defaults,
    ...defined(userTop),
    ...defined(policyTop),
    breaks: {
      ...defaults.breaks,
      ...defined(userBreaks),
      ...defined(policyBreaks),
    },
  };
  return {
    ...merged,
    hotkeys: merged.hotkeysCustomisable ? merged.hotkeys : {},
    uiLanguage: merged.uiLanguage !== null && merged.uiLanguages.includes(merged.uiLanguage) ? merged.uiLanguage : null,
  };
}

/**
 * True when the policy pins `key`, so the UI shows it read-only ("set by your administrator").
 * `'breaks'` is locked when the policy pins any break rule.
 */
export function isLocked(policy: PolicySettings, key: LockableKey): boolean {
  if (key.startsWith('breaks.')) {
    const rule = key.slice('breaks.'.length) as keyof BreakRules;
    return policy.breaks?.[rule] !== undefined;
  }
  if (key === 'breaks') {
    return breakRuleKeys.some((rule) => policy.breaks?.[rule] !== undefined);
  }
  return (
    (policyKeys as readonly string[]).includes(key) &&
    policy[key as Exclude<keyof PolicySettings, 'breaks'>] !== undefined
  );
}

/**
 * Every key the reviewer cannot change because of the policy: the keys it pins, the bindings
 * when it switches rebinding off, and the language when it allows only one.
 */
export function lockedKeys(policy: PolicySettings): LockableKey[] {
  const top = (Object.keys(policy) as LockableKey[]).filter((k) => k !== 'breaks' && isLocked(policy, k));
  const rules = breakRuleKeys.map((rule) => `breaks.${rule}` as const).filter((k) => isLocked(policy, k));
  const derived: LockableKey[] = [
    ...(policy.hotkeysCustomisable === false ? (['hotkeys'] as const) : []),
    ...(policy.uiLanguages?.length === 1 ? (['uiLanguage'] as const) : []),
  ];
  return [...top, ...rules, ...derived];
}

/**
 * The language to show: the reviewer's choice when allowed, else the first of the system's
 * preferences (`navigator.languages`) that is allowed, else the first allowed language.
 */
export function resolveLanguage(
  settings: Pick<Settings, 'uiLanguage' | 'uiLanguages'>,
  preferred: readonly string[],
): UiLanguage {
  const allowed = settings.uiLanguages.length > 0 ? settings.uiLanguages : uiLanguages;
  if (settings.uiLanguage !== null && allowed.includes(settings.uiLanguage)) {
    return settings.uiLanguage;
  }
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    const match = allowed.find((l) => l === base);
    if (match) {
      return match;
    }
  }
  return allowed[0] ?? 'en';
}
