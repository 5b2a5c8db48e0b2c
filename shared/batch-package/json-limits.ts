/**
 * A single pass over JSON text, before it is parsed, that stops at the first container nested
 * too deep or holding too many members. A few MiB of `[0,0,0,…]` or `[[[[…]]]]` would otherwise
 * become millions of nodes in JSON.parse and then one schema issue per node, which takes main
 * seconds and gigabytes; this pass allocates one small frame per open container and stops
 * at the first member too many.
 *
 * It only counts brackets and commas outside strings; it is not a validator. Text that is not
 * JSON is left for JSON.parse to refuse.
 */

export type JsonLimitProblem = {
  readonly kind: 'depth' | 'members';
  /** Where, as `clips[3].hints`; `(top level)` for the outermost value. */
  readonly path: string;
};

export type JsonLimits = {
  /** A container at this depth (the outermost value is at 0) is refused. */
  readonly maxDepth: number;
  /** The most members (array items or object fields) any one container may hold. */
  readonly maxMembers: number;
};

type Frame = {
  readonly array: boolean;
  /** Commas seen at this level: the index of the member being read. */
  commas: number;
  /** The current field name's raw text, as [start, end) in the source. */
  keyStart: number;
  keyEnd: number;
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const SHOWN_KEY_CHARS = 64;

function keyOf(text: string, f: Frame): string {
  const raw = text.slice(f.keyStart, Math.min(f.keyEnd, f.keyStart + SHOWN_KEY_CHARS * 6));
  let key: string;
  try {
    key = JSON.parse(`"${raw}"`) as string;
  } catch {
    key = raw;
  }
  return key.length > SHOWN_KEY_CHARS ? `${key.slice(0, SHOWN_KEY_CHARS)}…` : key;
}

/** The path of the member each open frame is reading, in the identity walk's notation. */
function pathOf(text: string, stack: readonly Frame[]): string {
  let path = '';
  for (const f of stack) {
    path = f.array ? `${path}[${f.commas}]` : path ? `${path}.${keyOf(text, f)}` : keyOf(text, f);
  }
  return path || '(top level)';
}

/** Returns the first place `text` breaks `limits`, or undefined when it keeps them. */
export function findJsonLimitProblem(text: string, limits: JsonLimits): JsonLimitProblem | undefined {
  const stack: Frame[] = [];
  let keyNext = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i + 1;
      i += 1;
      while (i < text.length && text.charCodeAt(i) !== QUOTE) {
        i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
      }
      const top = stack[stack.length - 1];
      if (keyNext && top && !top.array) {
        top.keyStart = start;
        top.keyEnd = i;
      }
      keyNext = false;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (stack.length >= limits.maxDepth) {
        return { kind: 'depth', path: pathOf(text, stack) };
      }
      stack.push({ array: c === OPEN_ARRAY, commas: 0, keyStart: 0, keyEnd: 0 });
      keyNext = c === OPEN_OBJECT;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      stack.pop();
      keyNext = false;
    } else if (c === COMMA) {
      const top = stack[stack.length - 1];
      if (top) {
        top.commas += 1;
        if (top.commas >= limits.maxMembers) {
          // The path names the container, not the member past the limit.
          return { kind: 'members', path: pathOf(text, stack.slice(0, -1)) };
        }
        keyNext = !top.array;
      }
    } else if (c === COLON) {
      keyNext = false;
    }
  }
  return undefined;
}
