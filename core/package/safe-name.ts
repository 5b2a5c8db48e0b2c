/**
 * File names from operator input (a TSV column) must name a plain file inside the folder given:
 * no separators or traversal, no NUL or control characters, no bidi overrides that disguise an
 * extension, no Windows device names, nothing over 255 bytes.
 */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused.
const CONTROL = /[\u0000-\u001f\u007f]/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Returns why `name` is not a safe plain file name, or undefined when it is. */
export function unsafeFileNameReason(name: string): string | undefined {
  if (name.length === 0) {
    return 'is empty';
  }
  if (CONTROL.test(name)) {
    return 'contains a control character (NUL, tab, newline…)';
  }
  if (name.includes('/') || name.includes('\\')) {
    return 'contains a path separator; give a file name inside the audio folder';
  }
  if (name === '.' || name === '..') {
    return 'is not a file name';
  }
  if (/^[a-z]:/i.test(name)) {
    return 'is a drive path';
  }
  if (BIDI.test(name)) {
    return 'contains a bidirectional-text control character that can disguise its extension';
  }
  if (RESERVED.test(name)) {
    return 'is a reserved Windows device name';
  }
  if (/[. ]$/.test(name)) {
    return 'ends with a dot or space';
  }
  if (Buffer.byteLength(name, 'utf8') > 255) {
    return 'is longer than 255 bytes';
  }
  return undefined;
}
