/**
 * Searches files for byte strings: the canary technique. A test plants distinctive plaintext (a
 * transcript, an audio byte pattern) in what it feeds the app, then looks for it in every file
 * the app could have written.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A byte string to look for, named for the report; with `then`, found only where the `length`
 * bytes that follow it after `skip` bytes of anything (a header's length field) match.
 */
export type Needle = {
  readonly name: string;
  readonly bytes: Buffer;
  readonly then?: { readonly skip: number; readonly length: number; readonly matches: (next: Buffer) => boolean };
};

function holds(haystack: Buffer, needle: Needle): boolean {
  const { then } = needle;
  for (let at = haystack.indexOf(needle.bytes); at !== -1; at = haystack.indexOf(needle.bytes, at + 1)) {
    if (!then) {
      return true;
    }
    const next = at + needle.bytes.length + then.skip;
    const following = haystack.subarray(next, next + then.length);
    if (following.length === then.length && then.matches(following)) {
      return true;
    }
  }
  return false;
}

const MAX_SCAN_BYTES = 256 * 1024 * 1024;

/** Every regular file under `path` (not following links). */
export function filesUnder(path: string): string[] {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return []; // Removed meanwhile (another test process's file).
  }
  if (stat.isFile()) {
    return [path];
  }
  if (!stat.isDirectory()) {
    return [];
  }
  let names: string[];
  try {
    names = readdirSync(path);
  } catch {
    return [];
  }
  return names.flatMap((n) => filesUnder(join(path, n)));
}

/** "file: needle" for each needle found in each file. */
export function scan(files: readonly string[], needles: readonly Needle[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      if (lstatSync(file).size > MAX_SCAN_BYTES) {
        continue;
      }
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    for (const n of needles) {
      if (holds(bytes, n)) {
        found.push(`${file}: ${n.name}`);
      }
    }
  }
  return found;
}

/** Entries of `dir` now that were not in `before`, with every file under them. */
export const newFilesIn = (dir: string, before: ReadonlySet<string>): string[] =>
  readdirSync(dir)
    .filter((n) => !before.has(n))
    .flatMap((n) => filesUnder(join(dir, n)));

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');
const printable = (c: number): boolean => c >= 0x20 && c <= 0x7e;

/** Exactly these bytes. */
const equal =
  (expected: Buffer) =>
  (next: Buffer): boolean =>
    next.equals(expected);

/**
 * The signatures of the audio formats a clip may be: plaintext audio starts with one. Each is
 * the magic with header bytes that every such file has after it, as the import's audio probe
 * requires them: "RIFF", a length whose top byte is no printable character and a form type of
 * four printable characters (WAVE, or AVI and the like posing as a clip); "OggS" and format
 * version 0; "fLaC" and a STREAMINFO block header. A four-byte magic alone turns up in random
 * ciphertext about once per 1.4 GB scanned over all three, which a suite that scans its
 * databases hundreds of times does meet; these need more than four fixed bytes. Each holds a
 * byte no text has, so no stored text matches one: "RIFF" turns up in base64 (the wrapped keys
 * and sealed settings rows) once in 16.7 million places. A clip's true RIFF length is under
 * 16 MiB (MAX_CLIP_BYTES), top byte zero; but the probe never reads that length, and a stream
 * encoder leaves a placeholder there (ffmpeg writing to a pipe: 0xFFFFFFFF), so any top byte
 * outside text is taken, not zero alone.
 */
export const audioMagic: readonly Needle[] = [
  {
    name: 'RIFF',
    bytes: latin1('RIFF'),
    then: {
      skip: 3,
      length: 5,
      matches: (next) => !printable(next[0] ?? 0) && next.subarray(1).every(printable),
    },
  },
  { name: 'OggS', bytes: latin1('OggS\x00') },
  { name: 'fLaC', bytes: latin1('fLaC'), then: { skip: 1, length: 3, matches: equal(latin1('\x00\x00\x22')) } },
];

/** A string as the app could write it: UTF-8 or UTF-16 (SQLite stores text in either). */
export function textNeedles(name: string, text: string): Needle[] {
  return [
    { name: `${name} (utf8)`, bytes: Buffer.from(text, 'utf8') },
    { name: `${name} (utf16le)`, bytes: Buffer.from(text, 'utf16le') },
  ];
}
