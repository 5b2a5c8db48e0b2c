import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  batchIdSchema,
  clipIdSchema,
  CROCKFORD_ALPHABET,
  findCardNumber,
  findIdentityInText,
  freeTextHintSchema,
  idProblem,
  newId,
  passesLuhn,
} from '../../../shared/batch-package/pseudonymous-ids';

describe('pseudonymous ids', () => {
  it('makes ids of the one form from the random bytes it is given', () => {
    for (let i = 0; i < 200; i += 1) {
      const clip = newId('clip', randomBytes);
      expect(clip).toMatch(/^c-[0-9A-HJKMNP-TV-Z]{16}$/);
      expect(idProblem('clip', clip)).toBeUndefined();
      expect(newId('batch', randomBytes)).toMatch(/^b-[0-9A-HJKMNP-TV-Z]{16}$/);
    }
  });

  it('takes each character from the low 5 bits of one byte, so all 32 are equally likely', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i * 2 + 0xe0);
    expect(newId('clip', () => bytes)).toBe(`c-${CROCKFORD_ALPHABET.replace(/(.)./g, '$1')}`);
  });

  it('draws again when chance spells a run of 13 digits', () => {
    const draws = [new Uint8Array(16), Uint8Array.from({ length: 16 }, () => 31)];
    expect(newId('batch', () => draws.shift() ?? new Uint8Array(16))).toBe('b-ZZZZZZZZZZZZZZZZ');
  });

  it('refuses a CSPRNG that gives the wrong number of bytes', () => {
    expect(() => newId('clip', () => new Uint8Array(8))).toThrow('Expected 16 random bytes, got 8.');
  });

  it('checks Luhn as card numbers carry it', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('')).toBe(false);
  });

  it('finds a card number in a digit run, grouped or inside a longer run', () => {
    expect(findCardNumber('4111 1111 1111 1111')).toBe('4111 1111 1111 1111');
    expect(findCardNumber('x4222222222222x')).toBe('4222222222222');
    expect(findCardNumber('999999999999')).toBeUndefined();
  });

  it('answers each schema with the form it expects', () => {
    expect(clipIdSchema.safeParse('c-AAAAAAAAAAAA0001').success).toBe(true);
    expect(batchIdSchema.safeParse('b-AAAAAAAAAAAA0001').success).toBe(true);
    expect(clipIdSchema.safeParse('b-AAAAAAAAAAAA0001').error?.issues[0]?.message).toMatch(/^a clip id is "c-"/);
    expect(batchIdSchema.safeParse('c-AAAAAAAAAAAA0001').error?.issues[0]?.message).toMatch(/^a batch id is "b-"/);
  });

  it.each(['weather', 'smart home', 'telephony', 'music', 'mp3 player', 'timers and alarms', 'Wi-Fi setup', 'tv 4k'])(
    'leaves the ordinary hint %j alone',
    (hint) => {
      expect(findIdentityInText(hint)).toBeUndefined();
      expect(freeTextHintSchema(64).safeParse(hint).success).toBe(true);
    },
  );

  it.each([
    ['a@b.co', 'e-mail address'],
    ['4111-1111-1111-1111', 'card number'],
    ['(555) 010-0199', 'phone number'],
    ['+15555550100', 'phone number'],
    ['serial C02XK0ABJGH5', 'device serial'],
    ['S/N: 88A1', 'device serial'],
    ['aa-bb-cc-dd-ee-ff', 'device serial'],
  ])('finds identity in %j: %s', (hint, kind) => {
    expect(findIdentityInText(hint)).toEqual({ kind });
  });
});
