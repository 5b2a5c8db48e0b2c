/**
 * `npm run service [-- options]`: the reference annotation service on loopback, seeded with the
 * demo reviewer, supervisor and batches. `npm run service -- code [ACCOUNT]` prints the current
 * one-time code of a demo account (what an authenticator app would show).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { faultNames, type FaultName } from '../shared/sync/protocol';
import { totpCode, totpUri } from './auth';
import { DEMO_REVIEWER, DEMO_SUPERVISOR, seedDemo } from './seed';
import { createReferenceService } from './server';
import { openSqliteServiceStore } from './store/sqlite/service-store';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const USAGE = `usage: npm run service -- [--port 8787] [--data DIR] [--admin] [--fault NAME] [--delay-ms N]
                             [--retry-after S] [--after-ops N] [--every N] [--token-ttl-minutes N] [--quiet]
       npm run service -- code [reviewer|supervisor]
faults: ${faultNames.join(', ')}`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      port: { type: 'string', default: '8787' },
      data: { type: 'string', default: join(process.cwd(), '.service-data') },
      admin: { type: 'boolean', default: false },
      fault: { type: 'string', default: 'none' },
      'delay-ms': { type: 'string' },
      'retry-after': { type: 'string' },
      'after-ops': { type: 'string' },
      every: { type: 'string' },
      'token-ttl-minutes': { type: 'string' },
      quiet: { type: 'boolean', default: false },
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
  if (positionals.length > 0 || !faultNames.includes(values.fault as FaultName)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const dataDir = resolve(values.data);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const adminToken = values.admin ? randomBytes(18).toString('base64url') : undefined;
  const ttl = num(values['token-ttl-minutes']);
  const service = createReferenceService({
    store: openSqliteServiceStore(join(dataDir, 'service.db')),
    ...(adminToken ? { adminToken } : {}),
    ...(ttl ? { tokenTtlMs: ttl * 60_000 } : {}),
    ...(values.quiet ? {} : { log: out }),
  });
  const seeded = await seedDemo(service.core, resolve(__dirname, '..', 'resources'));
  service.core.faults.set({
    fault: values.fault as FaultName,
    ...(num(values['delay-ms']) !== undefined ? { delayMs: num(values['delay-ms']) } : {}),
    ...(num(values['retry-after']) !== undefined ? { retryAfterSeconds: num(values['retry-after']) } : {}),
    ...(num(values['after-ops']) !== undefined ? { afterOps: num(values['after-ops']) } : {}),
    ...(num(values.every) !== undefined ? { every: num(values.every) } : {}),
  });
  const url = await service.listen(Number(values.port));
  out(`Earmark reference service on ${url} (data in ${dataDir}${seeded ? ', demo data seeded' : ''})`);
  for (const a of [DEMO_REVIEWER, DEMO_SUPERVISOR]) {
    out(`  ${a.role}: account "${a.account}", password "${a.password}", TOTP secret ${a.totpSecret}`);
    out(`    ${totpUri(a.totpSecret, a.account)}`);
  }
  out(`  current code: npm run service -- code ${DEMO_REVIEWER.account}`);
  if (adminToken) {
    out(`  admin token (header X-Earmark-Admin): ${adminToken}`);
  }
  if (values.fault !== 'none') {
    out(`  fault switch: ${values.fault}`);
  }
  out(`Point the app at it: EARMARK_SERVICE_URL=${url} npm start`);
  const stop = (): void => {
    void service.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
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
