/**
 * The settings an IT admin can pin with the machine-wide policy file, their defaults and the
 * schema the file is checked against. Every key is optional in a policy: a key that is set wins
 * over the user's own setting, a key that is absent leaves the user (or the default) in charge.
 * docs/deployment.md documents each key for admins; keep the two in step.
 *
 * Pure (zod only) so it can move to shared/ when the renderer needs the types.
 */
import { z } from 'zod';

/** UI languages the app ships. */
export const uiLanguages = ['en', 'es', 'ro'] as const;
/** One of {@link uiLanguages}. */
export type UiLanguage = (typeof uiLanguages)[number];

/** What the transcript box starts with: the ASR hypothesis, or nothing (no anchoring). */
export const prefillModes = ['asr', 'blank'] as const;
/** One of {@link prefillModes}. */
export type PrefillMode = (typeof prefillModes)[number];

/** Break rules for long review shifts. */
export type BreakRules = {
  /** A micro-break is due after this many minutes of active review. */
  readonly microBreakEveryMinutes: number;
  /** How long a micro-break lasts. */
  readonly microBreakMinutes: number;
  /** A micro-break is offered after this many escalations (people in distress); 0 = never. */
  readonly microBreakAfterEscalations: number;
  /** Whether the reviewer may skip a due break. */
  readonly breaksSkippable: boolean;
};

/** Every setting the policy can pin, as the app uses it. */
export type Settings = {
  /** The annotation service; null = no service, the app runs in demo mode. */
  readonly serviceUrl: string | null;
  /** Minutes without input before the review screen locks. */
  readonly idleLockMinutes: number;
  readonly prefill: PrefillMode;
  /** A clip can be submitted only after its audio has been heard to the end. */
  readonly heardInFullGate: boolean;
  readonly breaks: BreakRules;
  /** The UI languages a reviewer may choose from; the first is the fallback. */
  readonly uiLanguages: readonly UiLanguage[];
  /** Whether a reviewer may rebind hotkeys. */
  readonly hotkeysCustomisable: boolean;
};

/** A top-level setting. */
export type SettingKey = keyof Settings;
/** One rule under `breaks`. */
export type BreakRuleKey = keyof BreakRules;

/** What the app does with no policy and no user choice. */
export const defaultSettings: Settings = {
  serviceUrl: null,
  idleLockMinutes: 10,
  prefill: 'asr',
  heardInFullGate: true,
  breaks: {
    microBreakEveryMinutes: 50,
    microBreakMinutes: 5,
    microBreakAfterEscalations: 1,
    breaksSkippable: true,
  },
  uiLanguages,
  hotkeysCustomisable: true,
};

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * True for an `https:` URL, or `http:` to this machine only (localhost, 127.0.0.1, [::1]) for
 * testing against a local service. Credentials in the URL are refused: they would end up in
 * logs and screenshots.
 */
export function isAllowedServiceUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') {
    return false;
  }
  if (url.protocol === 'https:') {
    return url.hostname !== '';
  }
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/** A whole number in [min, max], with a message an admin can act on. */
const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` });

const bool = z.boolean({ error: 'must be true or false' });

/** `serviceUrl` in a policy: see {@link isAllowedServiceUrl}. */
export const serviceUrlSchema = z
  .string({ error: 'must be a URL string' })
  .max(2048, { error: 'must be at most 2048 characters' })
  .refine(isAllowedServiceUrl, {
    error: 'must be an https:// URL (http:// only for localhost or 127.0.0.1), without a user name or password',
  });

/** `uiLanguages` in a policy: a non-empty list of shipped languages, none twice. */
export const uiLanguagesSchema = z
  .array(z.enum(uiLanguages, { error: `must list only ${uiLanguages.map((l) => `"${l}"`).join(', ')}` }), {
    error: 'must be a list of language codes',
  })
  .min(1, { error: 'must allow at least one language' })
  .refine((list) => new Set(list).size === list.length, { error: 'must not list a language twice' });

/** Break rules in a policy: any subset may be pinned. Unknown keys are stripped (and reported). */
export const breakRulesPolicySchema = z.object(
  {
    microBreakEveryMinutes: wholeNumber(15, 240).optional(),
    microBreakMinutes: wholeNumber(1, 15).optional(),
    microBreakAfterEscalations: wholeNumber(0, 50).optional(),
    breaksSkippable: bool.optional(),
  },
  { error: 'must be an object of break rules' },
);

/**
 * The policy file's schema. Unknown keys are not an error here (a newer policy may be deployed
 * ahead of the app); the loader reports them. Wrong types or out-of-range values are errors.
 */
export const policySchema = z.object({
  serviceUrl: serviceUrlSchema.optional(),
  idleLockMinutes: wholeNumber(1, 240).optional(),
  prefill: z.enum(prefillModes, { error: 'must be "asr" or "blank"' }).optional(),
  heardInFullGate: bool.optional(),
  breaks: breakRulesPolicySchema.optional(),
  uiLanguages: uiLanguagesSchema.optional(),
  hotkeysCustomisable: bool.optional(),
});

/** A validated policy: the keys the admin pinned. */
export type Policy = z.infer<typeof policySchema>;

/** The keys a policy file may hold at the top level. */
export const policyKeys: readonly string[] = Object.keys(policySchema.shape);
/** The keys a policy file may hold under `breaks`. */
export const breakRuleKeys: readonly string[] = Object.keys(breakRulesPolicySchema.shape);

/**
 * Dotted paths of the keys in a raw policy object that this version does not know, e.g.
 * `['idleLockMinute', 'breaks.lunch']`: a typo there would otherwise silently not apply.
 */
export function unknownPolicyKeys(raw: Readonly<Record<string, unknown>>): string[] {
  const unknown = Object.keys(raw).filter((k) => !policyKeys.includes(k));
  const breaks = raw['breaks'];
  if (typeof breaks === 'object' && breaks !== null && !Array.isArray(breaks)) {
    unknown.push(
      ...Object.keys(breaks)
        .filter((k) => !breakRuleKeys.includes(k))
        .map((k) => `breaks.${k}`),
    );
  }
  return unknown;
}
