/**
 * Searches files for byte strings: the canary technique. A test plants distinctive plaintext (a
 * transcript, an audio byte pattern) in what it feeds the app, then looks for it in every file
 * the app could have written.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A byte string to look for, named for the report. */
export type Needle = { readonly name: string; readonly bytes: Buffer };

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
      if (bytes.includes(n.bytes)) {
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

/** The signatures of the audio formats a clip may be: plaintext audio starts with one. */
export const audioMagic: readonly Needle[] = ['RIFF', 'OggS', 'fLaC'].map((m) => ({
  name: m,
  bytes: Buffer.from(m, 'latin1'),
}));

/** A string as the app could write it: UTF-8 or UTF-16 (SQLite stores text in either). */
export function textNeedles(name: string, text: string): Needle[] {
  return [
    { name: `${name} (utf8)`, bytes: Buffer.from(text, 'utf8') },
    { name: `${name} (utf16le)`, bytes: Buffer.from(text, 'utf16le') },
  ];
}
