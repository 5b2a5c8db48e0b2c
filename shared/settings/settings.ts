/**
 * The workstation settings: what each one is, its default, and who may set it. A reviewer sets
 * the {@link userSettingKeys}; an IT admin may pin the {@link policyKeys} with the machine-wide
 * policy file, and a pinned value always wins (docs/deployment.md). Pure data: main, the
 * renderer and the tests read the same table.
 */
import { defaultEntityTypes } from '../domain/annotation';
import type { HotkeyOverrides } from './hotkey-binding';

/** UI languages the app ships. */
export const uiLanguages = ['en', 'es', 'ro'] as const;
/** One of {@link uiLanguages}. */
export type UiLanguage = (typeof uiLanguages)[number];

/** What the transcript box starts with: the ASR hypothesis, or nothing (no anchoring). */
export const prefillModes = ['asr', 'blank'] as const;
/** One of {@link prefillModes}. */
export type PrefillMode = (typeof prefillModes)[number];

/** Playback speed: 0.5× to 2.0× in whole tenths. */
export const PLAYBACK_RATE = { min: 0.5, max: 2, step: 0.1 } as const;

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

/** Every setting, as the app uses it. */
export type Settings = {
  /** The annotation service; null = no service, the app runs in demo mode. Policy only. */
  readonly serviceUrl: string | null;
  /**
   * The annotation service's Ed25519 signing key (raw, base64); null = taken on first use and
   * kept (development). Policy only.
   */
  readonly servicePublicKey: string | null;
  /** How far the workstation's clock may be from service time before the top bar reports it. Policy only. */
  readonly maxClockSkewSeconds: number;
  /** Minutes without input before the review screen locks. */
  readonly idleLockMinutes: number;
  /** Seconds without input after which review time stops counting as active. */
  readonly idleSeconds: number;
  readonly prefill: PrefillMode;
  /** A clip can be submitted only after its audio has been heard to the end. */
  readonly heardInFullGate: boolean;
  /** Submitting an empty transcript as "transcribed" asks first: a silent clip has its own dispositions. */
  readonly emptyTranscriptCheck: boolean;
  /** Start playing each clip as it opens. */
  readonly autoplay: boolean;
  /** How far playback backs up when it resumes after a pause; 0 = not at all. */
  readonly autoBackstepMs: number;
  /** The playback speed, kept across clips and restarts. */
  readonly playbackRate: number;
  readonly breaks: BreakRules;
  /** The UI languages a reviewer may choose from; the first is the fallback. Policy only. */
  readonly uiLanguages: readonly UiLanguage[];
  /** The reviewer's UI language; null follows the system's languages. */
  readonly uiLanguage: UiLanguage | null;
  /** Whether a reviewer may rebind hotkeys. Policy only. */
  readonly hotkeysCustomisable: boolean;
  /** The reviewer's own bindings, for commands moved off their default. */
  readonly hotkeys: HotkeyOverrides;
  /** The tags offered while typing a transcript, each `[word]`. */
  readonly insertTags: readonly string[];
  /** The entity types a span can be tagged with, each a short lower-case word. */
  readonly entityTypes: readonly string[];
  /**
   * How long a finished service batch keeps its audio after its last submit or move, so an
   * amendment typed just after finishing is still accepted. Policy only.
   */
  readonly purgeGraceMinutes: number;
};

/** A top-level setting. */
export type SettingKey = keyof Settings;
/** One rule under `breaks`. */
export type BreakRuleKey = keyof BreakRules;

/** Every break rule, in the order the settings screen shows them. */
export const breakRuleKeys = [
  'microBreakEveryMinutes',
  'microBreakMinutes',
  'microBreakAfterEscalations',
  'breaksSkippable',
] as const satisfies readonly BreakRuleKey[];

/**
 * The settings a reviewer may choose. `serviceUrl` is not one of them: a sync target of the
 * reviewer's choosing would be a way for clip content to leave the workstation; nor are the
 * service's key and the clock skew allowed, which decide what the workstation believes.
 */
export const userSettingKeys = [
  'prefill',
  'heardInFullGate',
  'emptyTranscriptCheck',
  'autoplay',
  'autoBackstepMs',
  'playbackRate',
  'idleSeconds',
  'idleLockMinutes',
  'breaks',
  'uiLanguage',
  'hotkeys',
  'insertTags',
  'entityTypes',
] as const satisfies readonly SettingKey[];
/** A setting a reviewer may choose. */
export type UserSettingKey = (typeof userSettingKeys)[number];

/**
 * The settings an admin may pin. The playback speed, the language and the bindings are personal;
 * the admin governs the last two through `uiLanguages` and `hotkeysCustomisable` instead.
 */
export const policyKeys = [
  'serviceUrl',
  'servicePublicKey',
  'maxClockSkewSeconds',
  'idleLockMinutes',
  'idleSeconds',
  'prefill',
  'heardInFullGate',
  'emptyTranscriptCheck',
  'autoplay',
  'autoBackstepMs',
  'breaks',
  'uiLanguages',
  'hotkeysCustomisable',
  'insertTags',
  'entityTypes',
  'purgeGraceMinutes',
] as const satisfies readonly SettingKey[];
/** A setting an admin may pin. */
export type PolicyKey = (typeof policyKeys)[number];

/**
 * Some of the break rules. A rule may be present but undefined (a parsed `{ "x": undefined }`
 * keeps its key); it counts as not set.
 */
export type SomeBreakRules = { readonly [K in BreakRuleKey]?: BreakRules[K] | undefined };

/**
 * What a user has chosen for themselves: any subset, break rules one by one. A key present with
 * an undefined value counts as not chosen.
 */
export type UserSettings = {
  readonly [K in Exclude<UserSettingKey, 'breaks'>]?: Settings[K] | undefined;
} & { readonly breaks?: SomeBreakRules | undefined };

/**
 * What an admin has pinned: any subset of {@link policyKeys}, break rules one by one. A key
 * present with an undefined value counts as not pinned.
 */
export type PolicySettings = {
  readonly [K in Exclude<PolicyKey, 'breaks'>]?: Settings[K] | undefined;
} & { readonly breaks?: SomeBreakRules | undefined };

/** A setting the UI can show as admin-controlled: a top-level key or one break rule. */
export type LockableKey = SettingKey | `breaks.${BreakRuleKey}`;

/** The settings that apply, and which of them the reviewer cannot change. */
export type SettingsSnapshot = {
  readonly values: Settings;
  /** Keys the policy decides; the settings screen shows them read-only. */
  readonly locked: readonly LockableKey[];
};

/** The tags offered while typing, when nothing else is set. */
export const defaultInsertTags = ['[noise]', '[unintelligible]', '[tv]', '[music]', '[laughter]'] as const;

/** What the app does with no policy and no user choice. */
export const defaultSettings: Settings = {
  serviceUrl: null,
  servicePublicKey: null,
  maxClockSkewSeconds: 300,
  idleLockMinutes: 10,
  idleSeconds: 30,
  prefill: 'asr',
  heardInFullGate: true,
  emptyTranscriptCheck: true,
  autoplay: true,
  autoBackstepMs: 1_000,
  playbackRate: 1,
  breaks: {
    microBreakEveryMinutes: 50,
    microBreakMinutes: 5,
    microBreakAfterEscalations: 1,
    breaksSkippable: true,
  },
  uiLanguages,
  uiLanguage: null,
  hotkeysCustomisable: true,
  hotkeys: {},
  insertTags: defaultInsertTags,
  entityTypes: defaultEntityTypes,
  purgeGraceMinutes: 10,
};
