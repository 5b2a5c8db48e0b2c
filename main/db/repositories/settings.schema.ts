/**
 * Every row of the `settings` table, declared once: its key, how its text is encoded, the
 * schema its value must meet, and what a stored value that fails the schema means. The
 * encodings are the ones the rows have always had (plain text, decimal numbers, JSON), so an
 * existing database reads back unchanged.
 */
import { z } from 'zod';
import { roles } from '../../../shared/domain/session';
import { serviceKeyResponseSchema } from '../../../shared/sync/messages';

/** How a value is written as the row's text. */
export type SettingEncoding = 'text' | 'number' | 'json';

/**
 * What a stored value that fails its schema means: `absent` where a damaged row has always
 * read as "not set" (the caller then writes a fresh one), `error` where it must be reported.
 */
export type WhenInvalid = 'absent' | 'error';

const entry = <S extends z.ZodType>(encoding: SettingEncoding, schema: S, whenInvalid: WhenInvalid) =>
  ({ encoding, schema, whenInvalid }) as const;

const b64 = z.base64();

/** A draft sealed for the device public key while the app was locked (main/services/held-drafts.ts). */
export const heldDraftRowSchema = z.object({
  batchId: z.string(),
  clipId: z.string(),
  wrap: z.object({
    keyId: z.string().optional(),
    ephemeralPublicKey: b64,
    salt: b64,
    iv: b64,
    tag: b64,
    wrappedKey: b64,
  }),
  iv: b64,
  tag: b64,
  data: b64,
});
export type HeldDraftRow = z.infer<typeof heldDraftRowSchema>;

/** A sealed monotonic entry (main/db/sealed-state.ts): its counter and its sealed value (IV, tag, ciphertext in base64). */
export const sealedEnvelopeSchema = z.strictObject({
  counter: z.number().int().min(1),
  sealed: b64,
});
export type SealedEnvelope = z.infer<typeof sealedEnvelopeSchema>;

export const settingsRegistry = {
  /** The pseudonym demo mode runs under, made once per workstation. */
  'demo.pseudonym': entry('text', z.string().min(1), 'absent'),
  /**
   * The identity a service vouched for at the last sign-in, in plain text as older versions kept
   * it. Read once, when the device key is at hand, to seal it into the row below, then deleted.
   */
  'session.identity': entry('json', z.object({ pseudonym: z.string(), role: z.enum(roles) }), 'absent'),
  /**
   * The same identity sealed under a key derived from the device key (main/services/session.service.ts),
   * so the role that opens supervisor reports cannot be edited in the database.
   */
  'session.sealedIdentity': entry('text', z.base64(), 'absent'),
  /**
   * The service's signed statement of that identity, sealed the same way: the only source of a
   * role the workstation trusts (main/services/session.service.ts `vouchedRole`).
   */
  'session.signedIdentity': entry('text', z.base64(), 'absent'),
  /** The unlock verifiers, sealed under a device-derived key (main/services/lock.service.ts). */
  'lock.password': entry('text', z.string(), 'error'),
  'lock.pin': entry('text', z.string(), 'error'),
  /** Drafts that arrived while locked, waiting for the unlock. */
  'lock.heldDrafts': entry('json', z.array(heldDraftRowSchema), 'error'),
  /** The reviewer's own choices; each is validated again, one by one, by the settings service. */
  'settings.user': entry('json', z.record(z.string(), z.unknown()), 'error'),
  /** When the last sync cycle succeeded. */
  'sync.lastSyncAt': entry('number', z.number().positive(), 'absent'),
  /** The service's results-package key, kept for offline exports. */
  'sync.serviceKey': entry('json', serviceKeyResponseSchema, 'error'),
  /** `origin|keyId` of the service this device last enrolled with. */
  'sync.enrolled': entry('text', z.string(), 'absent'),
  /**
   * The trusted clock's floor as older versions kept it, in plain text. Read once to carry it
   * into the sealed entry below, then deleted.
   */
  'clock.lastTrusted': entry('number', z.number().nonnegative(), 'absent'),
  /** Sealed monotonic entries (main/db/sealed-state.ts), `sealed.<name>`: the trusted clock's floor. */
  'sealed.clock': entry('json', sealedEnvelopeSchema, 'error'),
  /** The lock's count of wrong unlock tries and its wait, which must survive a restart or a restored backup. */
  'sealed.unlockFailures': entry('json', sealedEnvelopeSchema, 'error'),
  /** Reserved for the high-water mark of committed work. */
  'sealed.committedWork': entry('json', sealedEnvelopeSchema, 'error'),
  /** The service's signing key as first used, where no policy pins one (main/services/sync/service-trust.ts). */
  'sealed.serviceSigningKey': entry('json', sealedEnvelopeSchema, 'error'),
  /** What each service acknowledged to this workstation (sync_marks), so an older copy of the rows cannot hide a loss. */
  'sealed.syncMarks': entry('json', sealedEnvelopeSchema, 'error'),
  /** Rows from before clip metrics flags were sealed have all been sealed: a plain row found after is an edit. */
  'sealed.legacyResealed': entry('json', sealedEnvelopeSchema, 'error'),
  /** The service's expiry of each active batch held here, so one brought forward stays (main/services/sealed-expiries.ts). */
  'sealed.batchExpiries': entry('json', sealedEnvelopeSchema, 'error'),
} as const;

export type SettingKey = keyof typeof settingsRegistry;
export type SettingValue<K extends SettingKey> = z.output<(typeof settingsRegistry)[K]['schema']>;
/** The names of the sealed monotonic entries. */
export type SealedName = SettingKey extends infer K ? (K extends `sealed.${infer N}` ? N : never) : never;
