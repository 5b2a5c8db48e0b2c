/**
 * Secret files the service reads at start (its signing key, its results-package key, the metrics
 * token): kept out of the database, so a copy of the database (a backup, a replica) holds none of
 * them. A file that users other than its owner may read, write or replace is refused.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { syncFolder, writeSynced } from '../core/fs/durable-file';

/** Why a key file cannot be used; the message is for the operator. */
export class KeyFileError extends Error {
  override readonly name: string = 'KeyFileError';
}

const hasCode = (error: unknown, code: string): boolean =>
  error instanceof Error && 'code' in error && (error as NodeJS.ErrnoException).code === code;
const isMissing = (error: unknown): boolean => hasCode(error, 'ENOENT');

/** The name of a draft of `file`: the file's name, 12 random hex digits, `.new`. */
const draftName = (file: string): string => `${file}.${randomBytes(6).toString('hex')}.new`;
const isDraftOf = (file: string, name: string): boolean => {
  const base = `${basename(file)}.`;
  return name.startsWith(base) && /^[0-9a-f]{12}\.new$/.test(name.slice(base.length));
};

/**
 * Removes drafts of `file` left beside it by a process that died between writing and cleaning
 * up: copies of the secret. Called only once `file` exists, when every draft is spent (a process
 * still holding one finds it gone and reads `file`, as it would after losing the race).
 */
function removeDrafts(file: string): void {
  let names: string[];
  try {
    names = readdirSync(dirname(file));
  } catch {
    return; // A folder that cannot be listed: the file itself is still read and checked.
  }
  for (const name of names.filter((n) => isDraftOf(file, n))) {
    rmSync(join(dirname(file), name), { force: true });
  }
}

/**
 * Links the finished `draft` into place as `file`. On a file system without hard links (some
 * network and FUSE mounts) it creates `file` itself, exclusively: the one way left that never
 * overwrites another process's key, though a reader may then see it half-written.
 */
function putInPlace(draft: string, file: string, text: string): void {
  try {
    linkSync(draft, file);
  } catch (error) {
    if (!hasCode(error, 'EPERM') && !hasCode(error, 'ENOTSUP') && !hasCode(error, 'EOPNOTSUPP')) {
      throw error;
    }
    // Made exclusively: one this write could not finish is removed, so no short key is read at
    // the next start.
    writeSynced(file, text, { mode: 0o600, flag: 'wx' });
  }
}

/**
 * Puts `text` in `file`, mode 0600, unless the file exists; false when it does. The text goes to a
 * file of its own first, linked into place whole: processes starting together on one data folder
 * all read the one key the first of them made, never a half-written or a second one. The draft
 * is flushed to the disk before the link and the folder after it, so a power cut right after a
 * first start cannot leave an empty key behind a public key clients have already pinned. The
 * draft is removed whatever happens, a failed write (a full disk) included.
 */
function createOnce(file: string, text: string, fail: (message: string) => Error): boolean {
  const draft = draftName(file);
  try {
    try {
      writeSynced(draft, text, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      throw fail(
        `The new file ${file} could not be written: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    putInPlace(draft, file, text);
    try {
      syncFolder(dirname(file));
    } catch (error) {
      throw fail(
        `The new file ${file} was made, but its folder could not be flushed to the disk: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    return true;
  } catch (error) {
    // EEXIST: another process made the file first. ENOENT: one that found the file made removed
    // this draft with the other spent ones.
    if (hasCode(error, 'EEXIST') || isMissing(error)) {
      return false;
    }
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

/** Why a missing `file` is missing, when it is a symbolic link to nothing; undefined otherwise. */
function danglingLink(file: string, what: string): string | undefined {
  try {
    if (lstatSync(file).isSymbolicLink()) {
      return `The ${what} file ${file} is a symbolic link to ${readlinkSync(file)}, which does not exist.`;
    }
  } catch {
    // Nothing at the path at all.
  }
  return undefined;
}

/**
 * Reads the secret file `file` (`what` names it in messages), after checking it is a regular file
 * open to its owner only. A missing file is made with `create()`'s text, mode 0600, when `create`
 * is given (unless another process makes it first: then its text is read), and refused otherwise.
 * Drafts of the file a process left behind when it died are removed.
 * @throws the error `fail` makes, for a missing, unreadable or too widely readable file
 */
export function readSecretFile(
  file: string,
  o: {
    readonly what: string;
    readonly create?: () => string;
    readonly platform?: NodeJS.Platform;
    readonly fail?: (message: string) => Error;
  },
): string {
  const fail = o.fail ?? ((message: string) => new KeyFileError(message));
  let stat;
  try {
    stat = statSync(file);
  } catch (error) {
    if (!isMissing(error)) {
      throw fail(`The ${o.what} file ${file} cannot be read.`);
    }
    const dangling = danglingLink(file, o.what);
    if (dangling !== undefined) {
      throw fail(dangling);
    }
    if (!o.create) {
      throw fail(`The ${o.what} file ${file} does not exist.`);
    }
    const text = o.create();
    if (createOnce(file, text, fail)) {
      removeDrafts(file);
      return text;
    }
    // Another process made the file meanwhile: its key is the one to use, checked like any other.
    return readSecretFile(file, { what: o.what, fail, ...(o.platform ? { platform: o.platform } : {}) });
  }
  removeDrafts(file);
  if (!stat.isFile()) {
    throw fail(`The ${o.what} file ${file} is not a regular file.`);
  }
  const mode = stat.mode;
  // Windows has no mode bits to speak of; its ACLs are the operator's (docs/deployment.md).
  if ((o.platform ?? process.platform) !== 'win32' && (mode & 0o077) !== 0) {
    throw fail(
      `The ${o.what} file ${file} is open to users other than its owner (mode ${(mode & 0o777).toString(8)}); ` +
        'make it readable by the service account only (chmod 600).',
    );
  }
  return readFileSync(file, 'utf8');
}
