/**
 * Secret files the service reads at start (its signing key, its results-package key, the metrics
 * token): kept out of the database, so a copy of the database (a backup, a replica) holds none of
 * them. A file that users other than its owner may read, write or replace is refused.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';

/** Why a key file cannot be used; the message is for the operator. */
export class KeyFileError extends Error {
  override readonly name: string = 'KeyFileError';
}

const isMissing = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Reads the secret file `file` (`what` names it in messages), after checking it is a regular file
 * open to its owner only. A missing file is made with `create()`'s text, mode 0600, when `create`
 * is given, and refused otherwise.
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
    // `wx`: never overwrite a key another process wrote meanwhile.
    writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
    return text;
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
