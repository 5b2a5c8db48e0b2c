/**
 * `npm run batch -- <command>`: the operator CLI for batch packages.
 *
 *   keygen  --out DIR                                   write a device key pair
 *   ids     [--count N]                                 print N new clip ids for a clip list
 *   pack    --audio DIR --clips FILE.tsv --device-key PUB --out FILE [--batch-id ID] [--expires-in-days N]
 *           [--assigned-to PSEUDONYM]                   the reviewer an offline station in service mode takes it for
 *   inspect FILE                                        print the readable header, decrypt nothing
 *   verify  FILE --device-key PRIV                      run import's checks, store nothing
 *
 * Bad input prints a clear message and exits non-zero; no stack traces.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  deviceKeyFromPem,
  generateDeviceKey,
  privateKeyPem,
  publicKeyFromPem,
  publicKeyPem,
} from '../core/crypto/device-key';
import { syncFolder, writeSynced } from '../core/fs/durable-file';
import { ClipListError, parseClipsTsv } from '../core/package/clips-tsv';
import { inertText } from '../core/package/inert-text';
import { packFromFolder } from '../core/package/pack-from-folder';
import { inspectPackage, readPackage } from '../core/package/package-reader';
import { PackageRefusedError } from '../core/package/package-refusal';
import { idProblem, newId } from '../shared/batch-package/pseudonymous-ids';

const USAGE = `Usage:
  npm run batch -- keygen --out DIR
  npm run batch -- ids [--count N]
  npm run batch -- pack --audio DIR --clips FILE.tsv --device-key PUB.pem --out FILE [--batch-id ID] [--expires-in-days N] [--assigned-to PSEUDONYM]
  npm run batch -- inspect FILE
  npm run batch -- verify FILE --device-key PRIV.pem`;

class UsageError extends Error {}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

type Io = { readonly now: () => Date };

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `Cannot read ${what} "${path}"${code === 'ENOENT' ? ': no such file' : ` (${code ?? 'error'})`}.`,
    );
  }
}

function keyFrom<T>(path: string, what: string, parse: (pem: string) => T): T {
  const pem = readText(path, what);
  try {
    return parse(pem);
  } catch {
    throw new UsageError(
      `"${path}" is not an X25519 ${what} in PEM form (make one with: npm run batch -- keygen --out DIR).`,
    );
  }
}

/** Whether anything (a file, a folder, a link even to nothing) has this name. */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function keygen(args: string[]): number {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } }, strict: true });
  if (!values.out) {
    throw new UsageError('keygen needs --out DIR.');
  }
  const priv = join(values.out, 'device.key');
  const pub = join(values.out, 'device.pub');
  // lstat, not exists: a link to nothing is a name taken too.
  if (present(priv) || present(pub)) {
    throw new UsageError(`${values.out} already holds a device key; refusing to overwrite it.`);
  }
  mkdirSync(values.out, { recursive: true, mode: 0o700 });
  const key = generateDeviceKey();
  // Flushed before the key id is printed: an empty key file left by a power cut would make keygen
  // refuse to run again while its public key may already have been handed out.
  // What this run made is removed if it fails: left behind, a half pair would make keygen refuse
  // to run again. A file another run made first (EEXIST) is not ours and stays.
  const made: string[] = [];
  // Made exclusively: a file the write could not finish is removed by writeSynced itself.
  const make = (file: string, text: string, mode: number): void => {
    writeSynced(file, text, { mode, flag: 'wx' });
    made.push(file);
  };
  try {
    make(priv, privateKeyPem(key), 0o600);
    make(pub, publicKeyPem(key.publicKey), 0o644);
    syncFolder(values.out);
  } catch (error) {
    for (const file of made) {
      rmSync(file, { force: true });
    }
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      // Another run (or a link) took the name after the check above: its file is left as it is.
      throw new UsageError(
        `${values.out} got a device key file while keygen ran (${(error as NodeJS.ErrnoException).path ?? 'device.key or device.pub'}); refusing to overwrite it.`,
      );
    }
    throw error;
  }
  out(`key id ${key.keyId}`);
  out(`private key: ${priv} (keep it secret)`);
  out(`public key:  ${pub}`);
  return 0;
}

/** Clip ids come from here (or another CSPRNG): a clip list with any other id is refused by pack. */
function ids(args: string[]): number {
  const { values } = parseArgs({ args, options: { count: { type: 'string' } }, strict: true });
  const count = Number(values.count ?? '1');
  if (!Number.isInteger(count) || count < 1 || count > 10_000) {
    throw new UsageError('--count must be a whole number from 1 to 10000.');
  }
  for (let i = 0; i < count; i += 1) {
    out(newId('clip', randomBytes));
  }
  return 0;
}

function pack(args: string[], io: Io): number {
  const { values } = parseArgs({
    args,
    options: {
      audio: { type: 'string' },
      clips: { type: 'string' },
      'device-key': { type: 'string' },
      out: { type: 'string' },
      'batch-id': { type: 'string' },
      'expires-in-days': { type: 'string' },
      'assigned-to': { type: 'string' },
    },
    strict: true,
  });
  const missing = ['audio', 'clips', 'device-key', 'out'].filter((k) => !values[k as keyof typeof values]);
  if (missing.length > 0) {
    throw new UsageError(`pack needs ${missing.map((m) => `--${m}`).join(', ')}.`);
  }
  const days = Number(values['expires-in-days'] ?? '14');
  if (!Number.isInteger(days) || days < 1 || days > 90) {
    throw new UsageError('--expires-in-days must be a whole number from 1 to 90.');
  }
  const batchIdRefused = values['batch-id'] === undefined ? undefined : idProblem('batch', values['batch-id']);
  if (batchIdRefused !== undefined) {
    throw new UsageError(`--batch-id is refused: ${batchIdRefused}; leave it out and pack makes one.`);
  }
  if (values['assigned-to'] !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(values['assigned-to'])) {
    throw new UsageError('--assigned-to must be a pseudonym: 1–64 letters, digits, "_" or "-".');
  }
  const recipient = keyFrom(values['device-key'] as string, 'public key', publicKeyFromPem);
  const list = parseClipsTsv(readText(values.clips as string, 'clip list'));
  if (list.ignoredColumns.length > 0) {
    out(`note: ignoring column(s) ${list.ignoredColumns.map(inertText).join(', ')}; they are not packed.`);
  }
  const result = packFromFolder({
    audioDir: values.audio as string,
    list,
    recipient,
    out: values.out as string,
    now: io.now(),
    expiresInDays: days,
    batchId: values['batch-id'],
    assignedTo: values['assigned-to'],
  });
  out(
    `packed batch ${result.batchId}: ${result.clips} clips (${result.withdrawn} withdrawn, no audio packed), ${result.bytes} bytes -> ${values.out}`,
  );
  return 0;
}

function inspect(args: string[], io: Io): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    throw new UsageError('inspect takes one package file.');
  }
  const { header, fileSize, describedSize } = inspectPackage(file);
  const withAudio = header.clips.filter((c) => c.audio !== null).length;
  const expired = Date.parse(header.expiresAt) <= io.now().getTime();
  out(`format:     ${header.format} v${header.version}`);
  out(`batch:      ${header.batchId}`);
  out(`locale:     ${header.locale}`);
  out(`created:    ${header.createdAt}`);
  out(`expires:    ${header.expiresAt}${expired ? ' (EXPIRED)' : ''}`);
  out(`recipient:  workstation key ${header.recipient.keyId}`);
  out(`clips:      ${header.clips.length} (${withAudio} with audio, ${header.clips.length - withAudio} without)`);
  out(
    `size:       ${fileSize} bytes${fileSize === describedSize ? '' : ` (header describes ${describedSize}: damaged)`}`,
  );
  out('checked:    not authenticated here; verify checks the header tag with the device key');
  out('clip ids:');
  header.clips.forEach((c) => out(`  ${c.id}\t${c.audio ? `${c.audio.size} bytes` : 'no audio'}`));
  return 0;
}

function verify(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'device-key': { type: 'string' } },
    strict: true,
  });
  const [file] = positionals;
  if (!file || positionals.length > 1 || !values['device-key']) {
    throw new UsageError('verify takes one package file and --device-key PRIV.pem.');
  }
  const device = keyFrom(values['device-key'], 'private key', deviceKeyFromPem);
  let ok = 0;
  let quarantined = 0;
  let withdrawn = 0;
  const opened = readPackage(
    file,
    { device, now: io.now().getTime() },
    {
      onClip: (o) => {
        if (o.kind === 'ok') {
          ok += 1;
        } else if (o.kind === 'withdrawn') {
          withdrawn += 1;
          out(`note: clip ${o.details.id}: consent withdrawn; import refuses it and stores nothing.`);
        } else {
          quarantined += 1;
          out(`quarantine: clip ${o.details.id}: ${o.reason}`);
        }
      },
    },
  );
  opened.batchKey.fill(0);
  out(
    `${quarantined === 0 ? 'ok' : 'problems'}: batch ${opened.header.batchId}: ${ok} clips would import, ${quarantined} quarantined, ${withdrawn} refused (consent withdrawn).`,
  );
  return quarantined === 0 ? 0 : 1;
}

/** Runs one CLI invocation and returns its exit code. */
export function runBatchCli(argv: readonly string[], io: Io = { now: () => new Date() }): number {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'keygen':
        return keygen(rest);
      case 'ids':
        return ids(rest);
      case 'pack':
        return pack(rest, io);
      case 'inspect':
        return inspect(rest, io);
      case 'verify':
        return verify(rest, io);
      case undefined:
      case 'help':
      case '--help':
        out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof PackageRefusedError) {
      error.problems.forEach((p) => out(`refused: ${p}`));
      return 1;
    }
    if (error instanceof ClipListError) {
      error.problems.forEach((p) => out(`error: ${p}`));
      return 1;
    }
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`error: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = runBatchCli(process.argv.slice(2));
}
