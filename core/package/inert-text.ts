/**
 * Text quoted from a package or a clip list ends up in messages an operator reads in a terminal
 * or a log. Control characters (the terminal's ESC among them), C1 controls, line separators and
 * bidirectional overrides become `\uXXXX` escapes here, so a hostile name can neither drive the
 * terminal nor reorder the line that reports it.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** `text` with every unsafe character written as a `\uXXXX` escape. */
export function inertText(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
