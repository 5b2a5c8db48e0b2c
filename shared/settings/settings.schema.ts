/**
 * Schemas of every setting value, with messages a reviewer or an admin can act on. The policy
 * file (main/policy), the `settings:update` call and the settings screen all check values with
 * these, so a value one of them accepts the others accept too.
 */
import { z } from 'zod';
import { entityTypePattern } from '../domain/annotation';
import { bindingKey, bindingProblem, type Binding, type BindingProblem } from './hotkey-binding';
import {
  breakRuleRanges,
  commandIdPattern,
  insertTagPattern,
  MAX_ENTITY_TYPES,
  MAX_HOTKEY_OVERRIDES,
  MAX_INSERT_TAGS,
  numberRanges,
  type WholeRange,
} from './setting-limits';
import { PLAYBACK_RATE, prefillModes, uiLanguages, type UserSettings } from './settings';

/** A whole number in [min, max], with a message that says so. */
const wholeNumber = ({ min, max }: WholeRange) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const bool = z.boolean({ error: 'must be true or false' });

/** A list of unique strings matching `item`, `min`–`max` long. */
const uniqueList = (item: z.ZodString, min: number, max: number, what: string) =>
  z
    .array(item, { error: `must be a list of ${what}` })
    .min(min, { error: `must hold at least ${min} ${what}` })
    .max(max, { error: `must hold at most ${max} ${what}` })
    .refine((list) => new Set(list).size === list.length, {
      error: `must not list the same ${what.replace(/s$/, '')} twice`,
    });

const problemText: { readonly [P in BindingProblem]: (chord: string) => string } = {
  modifierOnly: (chord) => `${chord} is a modifier key alone; add the key it modifies`,
  reserved: (chord) => `${chord} is reserved for text editing, the window or the app menu`,
  typing: (chord) => `${chord} would fire while typing; hold Ctrl (Cmd on macOS) or Alt with it, or use a function key`,
  altGr: (chord) => `${chord} is AltGr on many keyboards and would fire while typing a character`,
};

/** What is wrong with a chord, as a sentence; null when it may be bound. */
export function describeBindingProblem(binding: Binding, isMac?: boolean): string | null {
  const problem = bindingProblem(binding, isMac);
  return problem === null ? null : problemText[problem](bindingKey(binding));
}

/** One binding: a `KeyboardEvent.code` and its modifiers, refused when no command may have it. */
export const bindingSchema = z
  .strictObject(
    {
      code: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9]{0,31}$/, { error: 'must be a KeyboardEvent.code such as "KeyK" or "F2"' }),
      mod: bool.optional(),
      alt: bool.optional(),
      shift: bool.optional(),
    },
    {
      error: (issue) =>
        issue.code === 'invalid_type' ? 'must be a binding such as { "code": "KeyK", "mod": true }' : undefined,
    },
  )
  .superRefine((binding, ctx) => {
    const problem = describeBindingProblem(binding);
    if (problem !== null) {
      ctx.addIssue({ code: 'custom', message: problem });
    }
  });

/**
 * Each setting's value. `serviceUrl` and `servicePublicKey` are not here: only the policy sets
 * them, and checking a URL or a key needs the platform (main/policy/policy.schema.ts).
 */
export const settingSchemas = {
  maxClockSkewSeconds: wholeNumber(numberRanges.maxClockSkewSeconds),
  idleLockMinutes: wholeNumber(numberRanges.idleLockMinutes),
  idleSeconds: wholeNumber(numberRanges.idleSeconds),
  prefill: z.enum(prefillModes, { error: 'must be "asr" or "blank"' }),
  heardInFullGate: bool,
  emptyTranscriptCheck: bool,
  autoplay: bool,
  autoBackstepMs: wholeNumber(numberRanges.autoBackstepMs),
  purgeGraceMinutes: wholeNumber(numberRanges.purgeGraceMinutes),
  playbackRate: z
    .number({ error: 'must be a number from 0.5 to 2.0' })
    .min(PLAYBACK_RATE.min, { error: 'must be a number from 0.5 to 2.0' })
    .max(PLAYBACK_RATE.max, { error: 'must be a number from 0.5 to 2.0' })
    .refine((rate) => Math.abs(rate * 10 - Math.round(rate * 10)) < 1e-9, {
      error: 'must be a whole number of tenths, such as 0.8',
    }),
  uiLanguages: z
    .array(z.enum(uiLanguages, { error: `must list only ${uiLanguages.map((l) => `"${l}"`).join(', ')}` }), {
      error: 'must be a list of language codes',
    })
    .min(1, { error: 'must allow at least one language' })
    .refine((list) => new Set(list).size === list.length, { error: 'must not list a language twice' }),
  uiLanguage: z
    .enum(uiLanguages, { error: `must be one of ${uiLanguages.map((l) => `"${l}"`).join(', ')}, or null` })
    .nullable(),
  hotkeysCustomisable: bool,
  hotkeys: z
    .record(z.string().max(64).regex(commandIdPattern), bindingSchema, {
      error: (issue) => (issue.code === 'invalid_key' ? 'is not a command id' : 'must map command ids to bindings'),
    })
    .refine((map) => Object.keys(map).length <= MAX_HOTKEY_OVERRIDES, {
      error: `must name at most ${MAX_HOTKEY_OVERRIDES} commands`,
    }),
  insertTags: uniqueList(
    z
      .string({ error: 'must be a tag' })
      .regex(insertTagPattern, { error: 'must be a tag such as "[noise]": one lower-case word in square brackets' }),
    1,
    MAX_INSERT_TAGS,
    'tags',
  ),
  entityTypes: uniqueList(
    z
      .string({ error: 'must be an entity type' })
      .regex(entityTypePattern, { error: 'must be a short lower-case word such as "artist" (letters, digits, "_")' }),
    1,
    MAX_ENTITY_TYPES,
    'entity types',
  ),
} as const;

/** The break rules, each checked alone. */
export const breakRuleSchemas = {
  microBreakEveryMinutes: wholeNumber(breakRuleRanges.microBreakEveryMinutes),
  microBreakMinutes: wholeNumber(breakRuleRanges.microBreakMinutes),
  microBreakAfterEscalations: wholeNumber(breakRuleRanges.microBreakAfterEscalations),
  breaksSkippable: bool,
} as const;

/**
 * What `settings:update` accepts: any subset of the reviewer's settings, break rules one by one.
 * Strict: a key that is not a reviewer setting (such as `serviceUrl`) is refused by name.
 * `hotkeys` replaces the whole binding map.
 */
export const settingsPatchSchema = z.strictObject({
  prefill: settingSchemas.prefill.optional(),
  heardInFullGate: settingSchemas.heardInFullGate.optional(),
  emptyTranscriptCheck: settingSchemas.emptyTranscriptCheck.optional(),
  autoplay: settingSchemas.autoplay.optional(),
  autoBackstepMs: settingSchemas.autoBackstepMs.optional(),
  playbackRate: settingSchemas.playbackRate.optional(),
  idleSeconds: settingSchemas.idleSeconds.optional(),
  idleLockMinutes: settingSchemas.idleLockMinutes.optional(),
  breaks: z
    .strictObject(
      {
        microBreakEveryMinutes: breakRuleSchemas.microBreakEveryMinutes.optional(),
        microBreakMinutes: breakRuleSchemas.microBreakMinutes.optional(),
        microBreakAfterEscalations: breakRuleSchemas.microBreakAfterEscalations.optional(),
        breaksSkippable: breakRuleSchemas.breaksSkippable.optional(),
      },
      { error: (issue) => (issue.code === 'invalid_type' ? 'must be an object of break rules' : undefined) },
    )
    .optional(),
  uiLanguage: settingSchemas.uiLanguage.optional(),
  hotkeys: settingSchemas.hotkeys.optional(),
  insertTags: settingSchemas.insertTags.optional(),
  entityTypes: settingSchemas.entityTypes.optional(),
}) satisfies z.ZodType<UserSettings>;

/** A change to the reviewer's settings, as `settings:update` takes it. */
export type SettingsPatch = UserSettings;
