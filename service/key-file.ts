/**
 * Secret files the service reads at start (its signing key, its results-package key, the metrics
 * token): kept out of the database, so a copy of the database (a backup, a replica) holds none of
 * them. A file that users other than its owner may read, write or replace is refused.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';

/** Why a key file cannot be used; the message is for the operator. */
export class KeyFileError extends Error {
  override readonly name: string = 'KeyFileError';
}

const hasCode = (error: unknown, code: string): boolean =>
  error instanceof Error && 'code' in error && (error as NodeJS.ErrnoException).code === code;
const isMissing = (error: unknown): boolean => hasCode(error, 'ENOENT');

/**
 * Puts `text` in `file`, mode 0600, unless the file exists; false when it does. The text goes to a
 * file of its own first, linked into place whole: processes starting together on one data folder
 * all read the one key the first of them made, never a half-written or a second one.
 */
function createOnce(file: string, text: string): boolean {
  const draft = `${file}.${randomBytes(6).toString('hex')}.new`;
  writeFileSync(draft, text, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    if (hasCode(error, 'EEXIST')) {
      return false;
    }
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

/**
 * Reads the secret file `file` (`what` names it in messages), after checking it is a regular file
 * open to its owner only. A missing file is made with `create()`'s text, mode 0600, when `create`
 * is given (unless another process makes it first: then its text is read), and refused otherwise.
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
    if (!o.create) {
      throw fail(`The ${o.what} file ${file} does not exist.`);
    }
    const text = o.create();
    if (createOnce(file, text)) {
      return text;
    }
    // Another process made the file meanwhile: its key is the one to use, checked like any other.
    return readSecretFile(file, { what: o.what, fail, ...(o.platform ? { platform: o.platform } : {}) });
  }
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
