/**
 * The schema of the machine-wide policy file. Every key is optional: a key that is set wins over
 * the user's own setting, a key that is absent leaves the user (or the default) in charge. The
 * keys, their values and defaults are the shared settings table (shared/settings);
 * docs/deployment.md documents each key for admins; keep the two in step.
 */
import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { breakRuleKeys, policyKeys, type PolicySettings } from '../../shared/settings/settings';
import { breakRuleSchemas, settingSchemas } from '../../shared/settings/settings.schema';
import { base64Bytes } from '../../shared/sync/messages';

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

/** `serviceUrl` in a policy: see {@link isAllowedServiceUrl}. */
export const serviceUrlSchema = z
  .string({ error: 'must be a URL string' })
  .max(2048, { error: 'must be at most 2048 characters' })
  .refine(isAllowedServiceUrl, {
    error: 'must be an https:// URL (http:// only for localhost or 127.0.0.1), without a user name or password',
  });

/** True for a raw 32-byte Ed25519 public key in base64 (already checked for its length). */
function isEd25519PublicKey(value: string): boolean {
  try {
    createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(value, 'base64').toString('base64url') },
      format: 'jwk',
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * `servicePublicKey` in a policy: the annotation service's Ed25519 signing key, raw, in padded
 * base64 (the reference service prints it at start). Answers signed with any other key are refused.
 */
export const servicePublicKeySchema = base64Bytes(32).refine(isEd25519PublicKey, {
  error: 'must be an Ed25519 public key',
});

/** Break rules in a policy: any subset may be pinned. Unknown keys are stripped (and reported). */
export const breakRulesPolicySchema = z.object(
  {
    microBreakEveryMinutes: breakRuleSchemas.microBreakEveryMinutes.optional(),
    microBreakMinutes: breakRuleSchemas.microBreakMinutes.optional(),
    microBreakAfterEscalations: breakRuleSchemas.microBreakAfterEscalations.optional(),
    breaksSkippable: breakRuleSchemas.breaksSkippable.optional(),
  },
  { error: 'must be an object of break rules' },
);

/**
 * The policy file's schema. Unknown keys are not an error here (a newer policy may be deployed
 * ahead of the app); the loader reports them. Wrong types or out-of-range values are errors.
 */
export const policySchema = z.object({
  serviceUrl: serviceUrlSchema.optional(),
  servicePublicKey: servicePublicKeySchema.optional(),
  maxClockSkewSeconds: settingSchemas.maxClockSkewSeconds.optional(),
  idleLockMinutes: settingSchemas.idleLockMinutes.optional(),
  idleSeconds: settingSchemas.idleSeconds.optional(),
  prefill: settingSchemas.prefill.optional(),
  heardInFullGate: settingSchemas.heardInFullGate.optional(),
  emptyTranscriptCheck: settingSchemas.emptyTranscriptCheck.optional(),
  autoplay: settingSchemas.autoplay.optional(),
  autoBackstepMs: settingSchemas.autoBackstepMs.optional(),
  breaks: breakRulesPolicySchema.optional(),
  uiLanguages: settingSchemas.uiLanguages.optional(),
  hotkeysCustomisable: settingSchemas.hotkeysCustomisable.optional(),
  insertTags: settingSchemas.insertTags.optional(),
  entityTypes: settingSchemas.entityTypes.optional(),
  purgeGraceMinutes: settingSchemas.purgeGraceMinutes.optional(),
}) satisfies z.ZodType<PolicySettings> & { readonly shape: { readonly [K in (typeof policyKeys)[number]]: unknown } };

/** A validated policy: the keys the admin pinned. */
export type Policy = z.infer<typeof policySchema>;

/**
 * Dotted paths of the keys in a raw policy object that this version does not know, e.g.
 * `['idleLockMinute', 'breaks.lunch']`: a typo there would otherwise silently not apply.
 */
export function unknownPolicyKeys(raw: Readonly<Record<string, unknown>>): string[] {
  const known: readonly string[] = policyKeys;
  const rules: readonly string[] = breakRuleKeys;
  const unknown = Object.keys(raw).filter((k) => !known.includes(k));
  const breaks = raw['breaks'];
  if (typeof breaks === 'object' && breaks !== null && !Array.isArray(breaks)) {
    unknown.push(
      ...Object.keys(breaks)
        .filter((k) => !rules.includes(k))
        .map((k) => `breaks.${k}`),
    );
  }
  return unknown;
}
