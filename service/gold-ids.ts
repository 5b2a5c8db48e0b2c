/**
 * Opaque random ids for the clips gold uses become, and for gold clips themselves: a prefix and
 * 16 Crockford base-32 characters in upper case, the shape every clip id takes, so a gold use's
 * id says nothing about what it is.
 */
import { randomInt } from 'node:crypto';

/** Crockford's base-32 alphabet: digits and upper-case letters without I, L, O and U. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const ID_CHARS = 16;
/** A run of this many digits could read as a number (a phone or card number): such ids are drawn again. */
const DIGIT_RUN = /[0-9]{13}/;

function randomId(prefix: string): string {
  for (;;) {
    let body = '';
    for (let i = 0; i < ID_CHARS; i += 1) {
      body += CROCKFORD_ALPHABET.charAt(randomInt(CROCKFORD_ALPHABET.length));
    }
    if (!DIGIT_RUN.test(body)) {
      return `${prefix}${body}`;
    }
  }
}

/** A fresh clip id, `c-` and 16 random characters: what each use of a gold clip is packed under. */
export const newClipId = (): string => randomId('c-');

/** A fresh gold clip id, `g-` and 16 random characters: the operator's handle, never packed. */
export const newGoldId = (): string => randomId('g-');

/** The shape of a gold clip id, for checking what an operator typed. */
export const GOLD_ID = /^g-[0-9A-HJKMNP-TV-Z]{16}$/;
