import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAllowedServiceUrl, policySchema, unknownPolicyKeys } from '../../../main/policy/policy.schema';
import { breakRuleKeys, defaultSettings, policyKeys } from '../../../shared/settings/settings';

describe('service URL rule', () => {
  it.each([
    'https://annotate.example.com',
    'https://annotate.example.com:8443/api/v1',
    'http://localhost:8080',
    'http://127.0.0.1:3000/api',
    'http://[::1]:3000',
  ])('accepts %s', (url) => {
    expect(isAllowedServiceUrl(url)).toBe(true);
  });

  it.each([
    'http://annotate.example.com',
    'http://10.0.0.5',
    'http://localhost.evil.example',
    'https://user:pass@annotate.example.com',
    'https://token@annotate.example.com',
    'ftp://annotate.example.com',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'annotate.example.com',
    '',
  ])('refuses %s', (url) => {
    expect(isAllowedServiceUrl(url)).toBe(false);
  });
});

describe('policy schema', () => {
  it('accepts every default as a policy value, so an admin can pin the defaults', () => {
    const pinnable = Object.fromEntries(
      policyKeys.filter((k) => k !== 'serviceUrl' && k !== 'servicePublicKey').map((k) => [k, defaultSettings[k]]),
    );
    expect(policySchema.parse(pinnable)).toEqual(pinnable);
  });

  it('knows exactly the keys the settings table says a policy may pin', () => {
    expect(Object.keys(policySchema.shape).sort()).toEqual([...policyKeys].sort());
  });

  it('has every key and break rule documented for admins in docs/deployment.md', () => {
    const doc = readFileSync(resolve(__dirname, '../../../docs/deployment.md'), 'utf8');
    for (const key of [...policyKeys, ...breakRuleKeys]) {
      expect(doc, key).toContain(`| \`${key}\` |`);
    }
  });

  it('refuses a reviewer-only setting value in a pinnable key with the same message as the settings screen', () => {
    const result = policySchema.safeParse({ autoBackstepMs: 5000, entityTypes: ['Artist'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['autoBackstepMs', 'must be a whole number from 0 to 3000'],
      ['entityTypes.0', 'must be a short lower-case word such as "artist" (letters, digits, "_")'],
    ]);
  });

  it('accepts an empty policy', () => {
    expect(policySchema.parse({})).toEqual({});
  });

  it('does not carry unknown keys into the parsed policy', () => {
    expect(policySchema.parse({ idleLockMinutes: 5, kiosk: true, breaks: { lunch: 30 } })).toEqual({
      idleLockMinutes: 5,
      breaks: {},
    });
  });
});

describe('unknown policy keys', () => {
  it('names unknown top-level keys and unknown break rules by dotted path', () => {
    expect(
      unknownPolicyKeys({ idleLockMinutes: 5, idleLockMinute: 5, breaks: { microBreakMinutes: 3, lunch: 30 } }),
    ).toEqual(['idleLockMinute', 'breaks.lunch']);
  });

  it('finds none in a policy of known keys', () => {
    expect(unknownPolicyKeys({ prefill: 'blank', breaks: { breaksSkippable: false } })).toEqual([]);
  });

  it('does not look inside a breaks value that is not an object', () => {
    expect(unknownPolicyKeys({ breaks: ['lunch'] })).toEqual([]);
  });
});
