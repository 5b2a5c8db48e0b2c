/**
 * The production switches of `npm run service`: where and how it listens (TLS, the proxy header
 * it trusts), who may read its metrics, how it logs, where its results key lives, how long ended
 * batches keep their audio, and how it shuts down. docs/deployment.md ("Running the service in
 * production") describes each for operators.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_AUDIO_RETENTION_DAYS, scheduleAudioPurge } from './audio-retention';
import { readSecretFile } from './key-file';
import { loadResultsKeyFile, RESULTS_KEY_FILE_ENV } from './results-key-file';
import { DEFAULT_SHUTDOWN_GRACE_MS } from './lifecycle';
import type { ReferenceService, ReferenceServiceOptions } from './server';
import { createJsonLog, type ServiceLog } from './service-log';
import type { ServiceStore } from './store/repositories';

/** The options, for `parseArgs`. */
export const operationsOptions = {
  host: { type: 'string', default: '127.0.0.1' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'insecure-no-tls': { type: 'boolean', default: false },
  'trust-proxy-header': { type: 'string' },
  'metrics-token-file': { type: 'string' },
  'log-format': { type: 'string', default: 'text' },
  'results-key': { type: 'string' },
  'audio-retention-days': { type: 'string', default: String(DEFAULT_AUDIO_RETENTION_DAYS) },
  'shutdown-grace-seconds': { type: 'string', default: String(DEFAULT_SHUTDOWN_GRACE_MS / 1000) },
} as const;

export const operationsUsage = `                             [--host 127.0.0.1] [--tls-cert FILE --tls-key FILE] [--insecure-no-tls]
                             [--trust-proxy-header NAME] [--metrics-token-file FILE] [--log-format text|json]
                             [--results-key FILE] [--audio-retention-days N] [--shutdown-grace-seconds N]
results key: --results-key FILE or ${RESULTS_KEY_FILE_ENV}; without either, results-key.pem in the data
             folder, made on first run (development); production flags: docs/deployment.md`;

/** The values `parseArgs` gives for {@link operationsOptions}. */
export type OperationsValues = {
  readonly host: string;
  readonly 'tls-cert'?: string | undefined;
  readonly 'tls-key'?: string | undefined;
  readonly 'insecure-no-tls': boolean;
  readonly 'trust-proxy-header'?: string | undefined;
  readonly 'metrics-token-file'?: string | undefined;
  readonly 'log-format': string;
  readonly 'results-key'?: string | undefined;
  readonly 'audio-retention-days': string;
  readonly 'shutdown-grace-seconds': string;
};

/** What the switches come to once their files are read. */
export type Operations = {
  /** The options the service is created with. */
  readonly service: Pick<
    ReferenceServiceOptions,
    'resultsKey' | 'metricsToken' | 'trustProxyHeader' | 'tls' | 'insecureNoTls' | 'serviceLog'
  >;
  readonly host: string;
  /** JSON log lines on standard output (the human-readable lines then go to standard error). */
  readonly json: boolean;
  readonly retentionDays: number;
  readonly graceMs: number;
  /** Said once at start: the results key was moved out of the database into its file. */
  readonly notes: readonly string[];
};

/** A switch with a bad value; the message is for the operator. */
export class OperationsOptionError extends Error {
  override readonly name = 'OperationsOptionError';
}

/** What a metrics token may hold: what a bearer token may (service/http.ts). */
const METRICS_TOKEN = /^[A-Za-z0-9_-]{16,256}$/;

/** A header name as HTTP allows it. */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

function nonNegative(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) {
    throw new OperationsOptionError(`${flag} takes a number of zero or more, not "${value}".`);
  }
  return n;
}

/**
 * Reads the key, certificate and token files the switches name and checks the rest. The TLS
 * private key, like the other key files, is refused when users other than its owner may read it.
 * @param o.store read once for a results key kept in the database before key files
 * @throws OperationsOptionError or a key file error, with a message for the operator
 */
export async function readOperations(
  values: OperationsValues,
  o: { readonly store: ServiceStore; readonly dataDir: string; readonly env: NodeJS.ProcessEnv },
): Promise<Operations> {
  const notes: string[] = [];
  const format = values['log-format'];
  if (format !== 'text' && format !== 'json') {
    throw new OperationsOptionError(`--log-format is text or json, not "${format}".`);
  }
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new OperationsOptionError('--tls-cert and --tls-key go together.');
  }
  const header = values['trust-proxy-header'];
  if (header !== undefined && !HEADER_NAME.test(header)) {
    throw new OperationsOptionError(`--trust-proxy-header takes a header name, not "${header}".`);
  }
  let metricsToken: string | undefined;
  if (values['metrics-token-file'] !== undefined) {
    metricsToken = readSecretFile(resolve(values['metrics-token-file']), { what: 'metrics token' }).trim();
    if (!METRICS_TOKEN.test(metricsToken)) {
      throw new OperationsOptionError('The metrics token is 16 to 256 characters of A-Z, a-z, 0-9, "-" and "_".');
    }
  }
  // A named key file must exist, except when it takes over the key the database held until now.
  const named = values['results-key'] ?? o.env[RESULTS_KEY_FILE_ENV];
  const resultsKeyFile = named ? resolve(named) : join(o.dataDir, 'results-key.pem');
  const legacyPem = existsSync(resultsKeyFile) ? undefined : await o.store.serviceKeys.oldest();
  const resultsKey = loadResultsKeyFile(resultsKeyFile, {
    create: !named || legacyPem !== undefined,
    ...(legacyPem ? { legacyPem } : {}),
  });
  if (legacyPem) {
    notes.push(
      `results key: moved from the database to ${resultsKeyFile}; the database copy is no longer read ` +
        '(docs/deployment.md says how to delete it)',
    );
  }
  // The certificate is public; its private key is a secret file like the service's other keys.
  const tls =
    certFile && keyFile
      ? { cert: readFileSync(resolve(certFile)), key: readSecretFile(resolve(keyFile), { what: 'TLS private key' }) }
      : undefined;
  const json = format === 'json';
  return {
    service: {
      resultsKey,
      ...(metricsToken ? { metricsToken } : {}),
      ...(header ? { trustProxyHeader: header } : {}),
      ...(tls ? { tls } : {}),
      insecureNoTls: values['insecure-no-tls'],
      ...(json ? { serviceLog: createJsonLog() } : {}),
    },
    host: values.host,
    json,
    retentionDays: nonNegative(values['audio-retention-days'], '--audio-retention-days'),
    graceMs: nonNegative(values['shutdown-grace-seconds'], '--shutdown-grace-seconds') * 1000,
    notes,
  };
}

/**
 * Starts what runs beside the listener: the audio purge (now and hourly) and the graceful
 * shutdown on SIGTERM and SIGINT, after which the process exits.
 */
export function startOperations(
  service: ReferenceService,
  ops: Operations,
  o: { readonly say: (line: string) => void; readonly log: ServiceLog | undefined },
): void {
  const purge = scheduleAudioPurge(service.core, {
    retentionDays: ops.retentionDays,
    onError: (error) => {
      o.say(`audio purge failed: ${error instanceof Error ? error.name : 'error'}; it runs again within the hour`);
    },
  });
  void purge.first.then((clips) => {
    if (clips > 0) {
      o.say(`audio purge: ${clips} clips of batches ended over ${ops.retentionDays} days ago`);
    }
  });
  const stop = (signal: string): void => {
    purge.stop();
    o.log?.event('shutdown', { signal, graceMs: ops.graceMs });
    void service.shutdown(ops.graceMs).then(
      ({ dropped }) => {
        o.log?.event('stopped', { dropped });
        o.log?.flush();
        process.exit(0);
      },
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
