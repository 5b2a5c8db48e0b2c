/**
 * Clip and batch ids, and the free-text hints that travel with clips, are refused by value when
 * they could identify a person (docs/batch-package.md, "Ids"). An id has exactly one form: `c-`
 * (clip) or `b-` (batch) and 16 characters of Crockford's base 32 in upper case, drawn by the
 * packer from a CSPRNG, so an id can carry nothing but chance. A payment-card-like digit run is
 * refused even in that form; a hint is refused when it holds an e-mail address, a phone number,
 * a card-like digit run or a device serial.
 *
 * Crockford base 32 and Luhn are a few lines each, written here rather than taken from a
 * package: shared/ imports nothing but zod, and the checks must read the same in every runtime.
 */
import { z } from 'zod';

/** Crockford's base-32 digits: no I, L, O or U, so an id cannot spell most words or be misread. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Characters after the prefix: 80 random bits. */
export const ID_BODY_LENGTH = 16;

/** A digit run this long or longer may be a payment card (13–19 digits) when it passes Luhn. */
export const CARD_RUN_MIN_DIGITS = 13;

export type IdKind = 'clip' | 'batch';

const PREFIX: Readonly<Record<IdKind, string>> = { clip: 'c-', batch: 'b-' };

const ID_PATTERN: Readonly<Record<IdKind, RegExp>> = {
  clip: /^c-[0-9A-HJKMNP-TV-Z]{16}$/,
  batch: /^b-[0-9A-HJKMNP-TV-Z]{16}$/,
};

/** How each id is described to the person who has to fix it. */
export const ID_FORMAT_TEXT: Readonly<Record<IdKind, string>> = {
  clip: 'a clip id is "c-" and 16 characters of 0-9 and A-Z without I, L, O or U (Crockford base 32, upper case)',
  batch: 'a batch id is "b-" and 16 characters of 0-9 and A-Z without I, L, O or U (Crockford base 32, upper case)',
};

/** True when `digits` (digits only) passes the Luhn check that payment card numbers carry. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/**
 * The first card-like number in `text`: a run of 13 or more digits (single spaces or dashes
 * between groups allowed) that passes Luhn as a whole or in any 13–19-digit stretch of it.
 */
export function findCardNumber(text: string): string | undefined {
  for (const match of text.matchAll(/\d(?:[ -]?\d){12,}/g)) {
    const digits = match[0].replace(/[ -]/g, '');
    for (let length = Math.min(19, digits.length); length >= CARD_RUN_MIN_DIGITS; length -= 1) {
      for (let start = 0; start + length <= digits.length; start += 1) {
        if (passesLuhn(digits.slice(start, start + length))) {
          return match[0];
        }
      }
    }
  }
  return undefined;
}

/** Why `value` is not a valid id of `kind`, or undefined when it is one. */
export function idProblem(kind: IdKind, value: string): string | undefined {
  if (!ID_PATTERN[kind].test(value)) {
    return ID_FORMAT_TEXT[kind];
  }
  if (findCardNumber(value) !== undefined) {
    return `a ${kind} id must not hold a run of ${CARD_RUN_MIN_DIGITS} or more digits that passes the Luhn check (a card number)`;
  }
  return undefined;
}

/** True when `value` is a valid id of `kind`. */
export function isId(kind: IdKind, value: string): boolean {
  return idProblem(kind, value) === undefined;
}

/**
 * A new id of `kind` from `randomBytes`, which must be a CSPRNG (node:crypto's `randomBytes`,
 * or `crypto.getRandomValues`). Each byte gives one character from its low 5 bits: 256 is a
 * multiple of 32, so every character is equally likely. Draws again in the vanishing case that
 * chance spelled a card-like digit run.
 */
export function newId(kind: IdKind, randomBytes: (count: number) => Uint8Array): string {
  for (;;) {
    const bytes = randomBytes(ID_BODY_LENGTH);
    if (bytes.length !== ID_BODY_LENGTH) {
      throw new Error(`Expected ${ID_BODY_LENGTH} random bytes, got ${bytes.length}.`);
    }
    const body = Array.from(bytes, (b) => CROCKFORD_ALPHABET.charAt(b & 31)).join('');
    const id = `${PREFIX[kind]}${body}`;
    if (!/\d{13}/.test(body)) {
      return id;
    }
  }
}

const idSchemaOf = (kind: IdKind) =>
  z.string().superRefine((value, ctx) => {
    const problem = idProblem(kind, value);
    if (problem !== undefined) {
      ctx.addIssue({ code: 'custom', message: problem });
    }
  });

/** A batch id: `b-` and 16 Crockford base-32 characters, no card-like digit run. */
export const batchIdSchema = idSchemaOf('batch');

/** A clip id: `c-` and 16 Crockford base-32 characters, no card-like digit run. */
export const clipIdSchema = idSchemaOf('clip');

/** What free text may not hold, in the order it is checked. */
export const identityInTextKinds = ['e-mail address', 'card number', 'phone number', 'device serial'] as const;
export type IdentityInTextKind = (typeof identityInTextKinds)[number];

const EMAIL = /[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]+/;
/** Seven or more digits, with an optional leading +, and spaces, dashes, dots or brackets between. */
const PHONE = /\+?[([]?\d(?:[\s().[\]-]*\d){6,}/;
/** A MAC address, or a token of 6+ letters and digits with at least 2 of each (G090LF, C02XK0ABJGH5). */
const MAC = /\b[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}\b/;
const SERIAL_PREFIX = /\b(?:s\/?n|serial)\s*[:#-]?\s*[A-Za-z0-9]*\d/i;

function looksLikeSerialToken(token: string): boolean {
  if (token.length < 6) {
    return false;
  }
  const digits = token.replace(/\D/g, '').length;
  return digits >= 2 && token.length - digits >= 2;
}

/** The first piece of identity found in free text, with what it looks like; undefined when none. */
export function findIdentityInText(text: string): { readonly kind: IdentityInTextKind } | undefined {
  if (EMAIL.test(text)) {
    return { kind: 'e-mail address' };
  }
  if (findCardNumber(text) !== undefined) {
    return { kind: 'card number' };
  }
  if (PHONE.test(text)) {
    return { kind: 'phone number' };
  }
  if (MAC.test(text) || SERIAL_PREFIX.test(text) || text.split(/[^A-Za-z0-9]+/).some(looksLikeSerialToken)) {
    return { kind: 'device serial' };
  }
  return undefined;
}

/** The message for free text found to hold `kind`: says what, never quotes it back. */
export function identityInTextMessage(kind: IdentityInTextKind): string {
  return `holds what looks like ${kind === 'e-mail address' ? 'an' : 'a'} ${kind}; hints carry no personal details`;
}

/** A free-text hint: at most `max` characters, none of them identifying. */
export const freeTextHintSchema = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((value, ctx) => {
      const found = findIdentityInText(value);
      if (found !== undefined) {
        ctx.addIssue({ code: 'custom', message: identityInTextMessage(found.kind) });
      }
    });
