import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../../fakes/electron';
import { devServiceUrl, SERVICE_URL_ENV, startShell, type ShellState } from '../../../main/app/shell';
import { createLogger } from '../../../main/log/logger';

vi.mock('electron', () => import('../../fakes/electron'));

describe('devServiceUrl', () => {
  const logs: string[] = [];
  const logger = createLogger('debug', (l) => logs.push(l));

  it('takes a loopback or https URL from the environment in an unpackaged build', () => {
    expect(devServiceUrl({ [SERVICE_URL_ENV]: 'http://127.0.0.1:8787' }, false, logger)).toBe('http://127.0.0.1:8787');
    expect(devServiceUrl({ [SERVICE_URL_ENV]: 'https://annotate.example' }, false, logger)).toBe(
      'https://annotate.example',
    );
  });

  it('ignores the environment in a packaged build, and a URL that is neither https nor loopback', () => {
    expect(devServiceUrl({ [SERVICE_URL_ENV]: 'http://127.0.0.1:8787' }, true, logger)).toBeUndefined();
    expect(devServiceUrl({ [SERVICE_URL_ENV]: 'http://annotate.example' }, false, logger)).toBeUndefined();
    expect(logs.some((l) => l.includes('EARMARK_SERVICE_URL ignored'))).toBe(true);
  });
});

describe('startShell with an annotation service', () => {
  let tmp: string;
  let state: ShellState | undefined;

  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'earmark-shell-service-'));
    await mkdir(join(tmp, 'out', 'renderer'), { recursive: true });
    await writeFile(join(tmp, 'out', 'renderer', 'index.html'), '<!doctype html><title>Earmark</title>');
    // The bundled demo recordings, where an unpackaged app finds them.
    await symlink(resolve(__dirname, '../../../resources'), join(tmp, 'resources'));
    // An unpackaged app loads the Electron-ABI addon from .native/; under Node, the Node build stands in.
    await mkdir(join(tmp, '.native', 'electron-'), { recursive: true });
    await symlink(
      require.resolve('better-sqlite3/build/Release/better_sqlite3.node'),
      join(tmp, '.native', 'electron-', 'better_sqlite3.node'),
    );
  });
  afterEach(async () => {
    state?.services?.close();
    state = undefined;
    vi.unstubAllEnvs();
    await rm(tmp, { recursive: true, force: true });
  });

  const start = async (env: string | undefined): Promise<ShellState> => {
    fake.resetFake({ isPackaged: false, userData: join(tmp, 'user-data'), appPath: tmp });
    if (env) {
      vi.stubEnv(SERVICE_URL_ENV, env);
    }
    state = startShell({
      argv: ['earmark'],
      outDir: join(tmp, 'out'),
      logger: createLogger('error', () => undefined),
      platform: 'linux',
      policyFile: join(tmp, 'none.json'),
    });
    await fake.emitReady();
    return state;
  };

  it('makes no demo batch when a service is configured: batches come from the service', async () => {
    const s = await start('http://127.0.0.1:9');
    expect(s.services?.sync.status()).toMatchObject({
      configured: true,
      serviceOrigin: 'http://127.0.0.1:9',
      connection: 'signedOut',
    });
    expect(s.services?.batches.list()).toEqual([]);
  });

  it('locks the app when the OS locks the screen or goes to sleep', async () => {
    const s = await start(undefined);
    expect(s.services?.lock.isLocked()).toBe(false);
    fake.powerMonitor.emit('lock-screen');
    expect(s.services?.lock.state()).toMatchObject({ locked: true, reason: 'os_lock' });
    await s.services?.lock.unlock('demo mode needs no secret');
    fake.powerMonitor.emit('suspend');
    expect(s.services?.lock.state()).toMatchObject({ locked: true, reason: 'suspend' });
  });

  it('runs on the demo batch without a service', async () => {
    const s = await start(undefined);
    expect(s.services?.sync.status().connection).toBe('unconfigured');
    expect(s.services?.batches.list()).toHaveLength(1);
  });
});
