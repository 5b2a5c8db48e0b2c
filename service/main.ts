/**
 * `npm run service [-- options]`: the reference annotation service, on loopback unless told
 * otherwise, with the accounts its store holds. `--demo` seeds the demo reviewer, supervisor and
 * batches, whose secrets are public: it is refused where other hosts reach the service, and on a
 * store holding anything but the demo seed (service/demo-start.ts). It approves no device by
 * itself: with `--demo` it issues and prints a one-time enrolment code for the demo reviewer.
 * Without `--demo` it warns of demo accounts still enabled with their published TOTP secret, and
 * refuses to start with them where other hosts reach it. `npm run service -- code [ACCOUNT]`
 * prints the current one-time code of a demo account (what an authenticator app would show);
 * `npm run service -- admin …` is the operators' CLI (service/admin/cli.ts).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { faultNames, type FaultName } from '../shared/sync/protocol';
import { totpCode } from './auth';
import { DEMO_REVIEWER, DEMO_SUPERVISOR } from './seed';
import { runAdmin } from './admin/cli';
import { terminalPrompt } from './admin/terminal-prompt';
import {
  announceDemo,
  demoReachProblem,
  demoStoreProblem,
  firstOperatorHint,
  outsideReach,
  publishedDemoAccounts,
  publishedDemoAccountsWarning,
  seedDemoData,
} from './demo-start';
import { createReferenceService } from './server';
import { signingPublicKeyText } from './service-signature';
import { loadSigningKeyFile, SIGNING_KEY_FILE_ENV } from './signing-key-file';
import { readAccountCensus } from './store/account-census';
import { chooseStore, DATABASE_URL_ENV, describeStore, openChosenStore } from './store/open-service-store';
import { operationsOptions, operationsUsage, readOperations, startOperations } from './operations-options';

/** Standard output carries JSON log lines alone with `--log-format json`: these lines then go to standard error. */
let humanLinesToStderr = false;
const out = (line: string): void => {
  (humanLinesToStderr ? process.stderr : process.stdout).write(`${line}\n`);
};

const USAGE = `usage: npm run service -- [--demo] [--port 8787] [--data DIR] [--database URL] [--pool-size N]
                             [--statement-timeout-ms N] [--fault NAME] [--delay-ms N]
                             [--retry-after S] [--after-ops N] [--every N] [--play-faults]
                             [--token-ttl-minutes N]
                             [--signing-key FILE] [--quiet]
${operationsUsage}
       npm run service -- code [reviewer|supervisor]
       npm run service -- admin --help
demo: --demo seeds the demo reviewer, supervisor, team and batches (their secrets are public, so
      only on loopback, without --trust-proxy-header or --tls-cert, into an empty store) and prints
      an enrolment code; without it no account is made: the first operator comes from "admin bootstrap"
faults: ${faultNames.join(', ')}; --fault sets the store's switch (shared by every process on the
        store) and plays it; --play-faults plays the switch as it is, without setting it; with
        neither, the process never reads the switch
store: --database postgres://user@host/db or ${DATABASE_URL_ENV} runs on PostgreSQL (pooled, --pool-size
       connections, default 10; statements cancelled after --statement-timeout-ms, default 10000);
       without either, the SQLite file service.db in the data folder
signing key: --signing-key FILE or ${SIGNING_KEY_FILE_ENV}; without either, signing-key.pem in the data
             folder, made on first run (development)`;

const defaultDataDir = (): string => join(process.cwd(), '.service-data');

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'admin') {
    return runAdmin(argv.slice(1), {
      openStore: (dataDir, database) => openChosenStore(chooseStore({ database, env: process.env, dataDir })),
      defaultDataDir: defaultDataDir(),
      env: process.env,
      prompt: terminalPrompt,
      out,
      err: (line) => process.stderr.write(`${line}\n`),
    });
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      demo: { type: 'boolean', default: false },
      port: { type: 'string', default: '8787' },
      data: { type: 'string', default: defaultDataDir() },
      database: { type: 'string' },
      'pool-size': { type: 'string' },
      'statement-timeout-ms': { type: 'string' },
      fault: { type: 'string' },
      'delay-ms': { type: 'string' },
      'retry-after': { type: 'string' },
      'after-ops': { type: 'string' },
      every: { type: 'string' },
      'play-faults': { type: 'boolean', default: false },
      'token-ttl-minutes': { type: 'string' },
      'signing-key': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      ...operationsOptions,
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    out(USAGE);
    return 0;
  }
  if (positionals[0] === 'code') {
    const account = positionals[1] === 'supervisor' ? DEMO_SUPERVISOR : DEMO_REVIEWER;
    out(totpCode(account.totpSecret, Date.now()));
    return 0;
  }
  if (positionals.length > 0 || (values.fault !== undefined && !faultNames.includes(values.fault as FaultName))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const reach = { host: values.host, trustProxyHeader: values['trust-proxy-header'], tlsCert: values['tls-cert'] };
  const demoRefused = values.demo ? demoReachProblem(reach) : undefined;
  if (demoRefused !== undefined) {
    process.stderr.write(`${demoRefused}\n`);
    return 2;
  }
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const dataDir = resolve(values.data);
  const ttl = num(values['token-ttl-minutes']);
  // A key file the operator names must exist; the development default is made on first run.
  const keyFile = values['signing-key'] ?? process.env[SIGNING_KEY_FILE_ENV];
  const poolSize = num(values['pool-size']);
  const statementTimeoutMs = num(values['statement-timeout-ms']);
  if ([poolSize, statementTimeoutMs].some((v) => v !== undefined && !(Number.isInteger(v) && v > 0))) {
    process.stderr.write(`--pool-size and --statement-timeout-ms are whole numbers above 0.\n${USAGE}\n`);
    return 2;
  }
  // The data folder holds the development signing key whichever store is chosen.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const choice = chooseStore({
    database: values.database,
    env: process.env,
    dataDir,
    pg: {
      ...(poolSize !== undefined ? { poolSize } : {}),
      ...(statementTimeoutMs !== undefined ? { statementTimeoutMs } : {}),
    },
  });
  // Read before the store is opened (and migrated): a refused demo writes nothing.
  const storeRefused = values.demo ? demoStoreProblem(await readAccountCensus(choice)) : undefined;
  if (storeRefused !== undefined) {
    process.stderr.write(`${storeRefused}\n`);
    return 2;
  }
  const store = await openChosenStore(choice);
  const signingKey = loadSigningKeyFile(keyFile ? resolve(keyFile) : join(dataDir, 'signing-key.pem'), {
    create: !keyFile,
  });
  const ops = await readOperations(values, { store, dataDir, env: process.env });
  humanLinesToStderr = ops.json;
  const published = values.demo ? [] : await publishedDemoAccounts(store.accounts);
  if (published.length > 0) {
    const exposed = outsideReach(reach);
    publishedDemoAccountsWarning(published, choice, exposed).forEach((line) => process.stderr.write(`${line}\n`));
    const log = ops.service.serviceLog;
    log?.event(
      'demo accounts enabled with their published secrets',
      { accounts: published.join(','), refused: exposed !== undefined },
      'warn',
    );
    if (exposed !== undefined) {
      log?.flush();
      await store.close();
      return 2;
    }
  }
  const service = createReferenceService({
    store,
    signingKey,
    ...ops.service,
    playFaults: values.fault !== undefined || values['play-faults'],
    ...(ttl ? { tokenTtlMs: ttl * 60_000 } : {}),
    ...(values.quiet || ops.json ? {} : { log: out }),
  });
  const seeded = values.demo && (await seedDemoData(service.core));
  // The switch is shared by every process on the store: only an explicit --fault changes it, so
  // a process joining others (or restarting) leaves in force what they play.
  if (values.fault !== undefined) {
    await service.core.faults.set({
      fault: values.fault as FaultName,
      ...(num(values['delay-ms']) !== undefined ? { delayMs: num(values['delay-ms']) } : {}),
      ...(num(values['retry-after']) !== undefined ? { retryAfterSeconds: num(values['retry-after']) } : {}),
      ...(num(values['after-ops']) !== undefined ? { afterOps: num(values['after-ops']) } : {}),
      ...(num(values.every) !== undefined ? { every: num(values.every) } : {}),
    });
  }
  const url = await service.listen(Number(values.port), ops.host);
  ops.service.serviceLog?.event('listening', { url });
  out(`Earmark reference service on ${url} (store: ${describeStore(choice)}${seeded ? ', demo data seeded' : ''})`);
  if (values.demo) {
    await announceDemo(service.core, out);
  } else {
    (await firstOperatorHint(service.core, choice)).forEach(out);
  }
  out(`  signing key (pin it as "servicePublicKey" in the admin policy): ${signingPublicKeyText(signingKey)}`);
  out('  operators: npm run service -- admin --help (devices approve|revoke, enrolment-codes issue, …)');
  if (service.core.faults.playing) {
    out(`  fault switch: ${(await service.core.faults.get()).fault}`);
  }
  ops.notes.forEach(out);
  out(`Point the app at it: EARMARK_SERVICE_URL=${url} npm start`);
  startOperations(service, ops, { say: out, log: ops.service.serviceLog });
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) {
      process.exitCode = code;
    }
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
