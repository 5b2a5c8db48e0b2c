/**
 * A throwaway PostgreSQL cluster for tests, from the machine's own binaries (Debian's
 * `postgresql` package): `initdb` in a temporary folder, `pg_ctl` listening on loopback only with
 * its socket in that folder, trust auth for the `postgres` user. `initdb` refuses to run as root,
 * so as root every server command runs as the `postgres` user through `runuser`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** Where `initdb` and `pg_ctl` are: Debian's versioned folder (newest first), else the PATH. */
export function pgBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) {
      return join(root, versions[0], 'bin');
    }
  }
  const fromPath = (process.env.PATH ?? '').split(':').find((d) => d && existsSync(join(d, 'initdb')));
  return fromPath;
}

/** A port free on loopback now (the cluster takes it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export type PgCluster = {
  /** The connection URL of `database` on this cluster. */
  readonly url: (database: string) => string;
  /** Creates an empty database with a fresh name and returns its URL. */
  createDatabase(): Promise<string>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
};

/**
 * Creates an empty database with a fresh name on the server that `adminUrl` (a database one may
 * create others from) points at, and returns its URL.
 */
export async function createDatabaseAt(adminUrl: string): Promise<string> {
  const name = `earmark_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Starts a cluster; throws with what is missing when PostgreSQL is not installed. */
export async function startPgCluster(): Promise<PgCluster> {
  const bin = pgBinDir();
  if (!bin) {
    throw new Error('PostgreSQL is not installed (no initdb): apt-get install -y postgresql');
  }
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(join(tmpdir(), 'earmark-pg-'));
  chmodSync(dir, 0o700);
  if (asRoot) {
    const ids = await run('id', ['-u', 'postgres']).then(async (u) => ({
      uid: Number(u.stdout.trim()),
      gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
    }));
    chownSync(dir, ids.uid, ids.gid);
  }
  const pg = (tool: string, args: readonly string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), [...args]);
  const data = join(dir, 'data');
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-instructions']);
  const port = await freePort();
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c max_connections=200`;
  await pg('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '120', 'start']);
  const url = (database: string): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    url,
    createDatabase: () => createDatabaseAt(url('postgres')),
    async stop() {
      try {
        await pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
