/**
 * Keeps clip content out of the log. Every `context` value passes through here before a line is
 * written; the `message` does not: messages are string literals written by us (a fact such as
 * 'vault: batch erased'), never built from data, so they need no redaction.
 *
 * - A string under a key that names clip content (transcript, asrText, text, hypothesis,
 *   reference, note, audio, …) becomes `[redacted]`. Numbers and booleans under such keys
 *   (lengths, counts, flags) are kept: they cannot carry words.
 * - A clip id becomes a short keyed hash (HMAC-SHA256 under a random key made once per run,
 *   first 8 hex digits): lines of one run can still be correlated, but the log cannot be mapped
 *   back to clips, not even by someone who holds the batch.
 * - Any other string longer than {@link MAX_LOG_STRING} characters is truncated, so an error
 *   message that quotes a transcript cannot carry all of it.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** A plain log value: what `LogContext` allows. */
export type LogValue = string | number | boolean | null;

/** What replaces a content value. */
export const REDACTED = '[redacted]';

/** Longest string value written as-is; longer ones are cut and marked. */
export const MAX_LOG_STRING = 200;

/** Words that, anywhere in a key, mark its value as clip content. */
const CONTENT_WORDS: ReadonlySet<string> = new Set([
  'transcript',
  'transcription',
  'asr',
  'text',
  'hypothesis',
  'reference',
  'note',
  'notes',
  'comment',
  'audio',
  'utterance',
  'words',
]);

/** Keys the logger writes itself; a context key of the same name must not overwrite them. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['time', 'level', 'message']);

/** Splits `asrText`, `asr_text`, `ASR-Text` or `clipIDs` into lower-case words. */
export function keyWords(key: string): string[] {
  return key
    .replace(/IDs(?![a-z])/g, 'Ids')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** True when the key names clip content (`transcript`, `asrText`, `noteBody`, …). */
export function isContentKey(key: string): boolean {
  return keyWords(key).some((w) => CONTENT_WORDS.has(w));
}

/** True when the key holds clip ids (`clipId`, `clip_id`, `clipIds`). */
export function isClipIdKey(key: string): boolean {
  const words = keyWords(key);
  const i = words.indexOf('clip');
  const next = i >= 0 ? words[i + 1] : undefined;
  return next === 'id' || next === 'ids';
}

/** Cuts a string to {@link MAX_LOG_STRING} characters, saying how much was dropped. */
export function truncate(value: string, max: number = MAX_LOG_STRING): string {
  return value.length <= max ? value : `${value.slice(0, max)}…[+${value.length - max} chars]`;
}

/** The redaction step the logger applies to every context. */
export type Redactor = {
  /** Redacts one context object; returns a new object, the input is not changed. */
  context(context: Readonly<Record<string, LogValue>>): Record<string, LogValue>;
  /** The keyed 8-hex-digit hash of a clip id, as it appears in this run's log. */
  clipRef(clipId: string): string;
};

let runKey: Buffer | undefined;

/** One random key per process, so every logger of a run hashes a clip id the same way. */
function processRunKey(): Buffer {
  runKey ??= randomBytes(32);
  return runKey;
}

/**
 * Creates the redaction step. `key` is the HMAC key for clip ids; by default one random key per
 * process run (tests pass their own to get stable hashes).
 */
export function createRedactor(key: Buffer = processRunKey()): Redactor {
  const clipRef = (clipId: string): string => createHmac('sha256', key).update(clipId).digest('hex').slice(0, 8);
  const clipValue = (value: LogValue): LogValue => {
    if (typeof value === 'string') {
      // A list of ids logged as one comma-separated string hashes each id.
      return value
        .split(',')
        .map((id) => clipRef(id.trim()))
        .join(',');
    }
    return typeof value === 'number' ? clipRef(String(value)) : value;
  };
  const one = (key: string, value: LogValue): LogValue => {
    if (isClipIdKey(key)) {
      return clipValue(value);
    }
    if (typeof value !== 'string') {
      return value;
    }
    return isContentKey(key) ? REDACTED : truncate(value);
  };
  return {
    clipRef,
    context(context) {
      const out: Record<string, LogValue> = {};
      for (const [key, value] of Object.entries(context)) {
        out[RESERVED_KEYS.has(key) ? `context.${key}` : key] = one(key, value);
      }
      return out;
    },
  };
}
