import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../../fakes/electron';
import {
  ALLOWED_SWITCHES,
  refusedArguments,
  refusalMessage,
  STRICT_SWITCHES_ENV,
} from '../../../main/app/command-line';
import { startShell, type ShellState } from '../../../main/app/shell';
import { silentLogger } from '../../../main/log/logger';

vi.mock('electron', () => import('../../fakes/electron'));

/** Every door the packaged app must keep shut, as a reviewer would type it. */
const HOSTILE = [
  '--remote-debugging-port=9222',
  '--remote-debugging-pipe',
  '--remote-allow-origins=*',
  '--inspect',
  '--inspect=9229',
  '--inspect-brk=0.0.0.0:9229',
  '--inspect-port=9229',
  '--no-sandbox',
  '--disable-web-security',
  '--ignore-certificate-errors',
  '--proxy-server=http://127.0.0.1:8080',
  '--host-rules=MAP * 127.0.0.1',
  '--user-data-dir=/tmp/elsewhere',
  '--js-flags=--allow-natives-syntax',
  '--enable-logging',
  '-remote-debugging-port=9222',
  '--REMOTE-DEBUGGING-PORT=9222',
  'C:\\Users\\me\\evil.earmark',
];

let tmp: string;
let state: ShellState | undefined;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'earmark-switches-'));
  fake.resetFake({ isPackaged: true, userData: join(tmp, 'user-data'), appPath: tmp });
  vi.stubEnv('LOCALAPPDATA', undefined);
  vi.stubEnv(STRICT_SWITCHES_ENV, undefined);
});

afterEach(async () => {
  state?.services?.close();
  state = undefined;
  vi.unstubAllEnvs();
  await rm(tmp, { recursive: true, force: true });
});

const start = (argv: readonly string[]): ShellState => {
  state = startShell({ argv, outDir: join(tmp, 'out'), logger: silentLogger, platform: 'linux' });
  return state;
};

describe('command-line allow-list', () => {
  it.each(HOSTILE)('refuses %s', (arg) => {
    expect(refusedArguments([arg])).toEqual([arg]);
  });

  it('accepts no argument at all, and macOS process serial numbers', () => {
    expect(refusedArguments([])).toEqual([]);
    expect(refusedArguments(['-psn_0_1234567'])).toEqual([]);
    expect(refusedArguments(['-psn_0_1234567', '--no-sandbox'])).toEqual(['--no-sandbox']);
  });

  it('lets the Playwright build attach, and nothing more', () => {
    expect(refusedArguments(['--inspect=0', '--remote-debugging-port=0'], true)).toEqual([]);
    expect(refusedArguments(['--no-sandbox', '--remote-debugging-pipe'], true)).toEqual([
      '--no-sandbox',
      '--remote-debugging-pipe',
    ]);
    expect(refusedArguments(['--inspect=0'])).toEqual(['--inspect=0']);
  });

  it('allows nothing it does not name', () => {
    expect([...ALLOWED_SWITCHES]).toEqual([]);
  });

  it('names the switches in its message without their values', () => {
    const message = refusalMessage(['--proxy-server=http://10.0.0.1:3128', '--inspect']);
    expect(message).toContain('--proxy-server, --inspect');
    expect(message).not.toContain('10.0.0.1');
  });
});

describe('shell with command-line arguments', () => {
  it.each(HOSTILE)('a packaged build quits before ready on %s', (arg) => {
    start(['/opt/Earmark/earmark', arg]);
    expect(fake.recordedCalls('app.exit')).toEqual([{ name: 'app.exit', args: [1] }]);
    const [box] = fake.recordedCalls('dialog.showErrorBox');
    expect(String(box?.args[1])).toContain('does not accept');
    // Nothing else happened: no sandbox switch, no protocol, no single-instance lock, no window.
    expect(fake.firstCallIndex('app.enableSandbox')).toBe(-1);
    expect(fake.firstCallIndex('app.requestSingleInstanceLock')).toBe(-1);
  });

  it('a packaged build starts with no arguments', async () => {
    start(['/opt/Earmark/earmark']);
    await fake.emitReady();
    expect(fake.recordedCalls('app.exit')).toEqual([]);
    expect(fake.BrowserWindow.getAllWindows()).toHaveLength(1);
  });

  it('a development build takes any switch, unless asked to check them', () => {
    fake.resetFake({ isPackaged: false, userData: join(tmp, 'user-data'), appPath: tmp });
    start(['electron', 'out/main/index.js', '--inspect=0', '--remote-debugging-port=0']);
    expect(fake.recordedCalls('app.exit')).toEqual([]);
    state?.services?.close();
    fake.resetFake({ isPackaged: false, userData: join(tmp, 'user-data'), appPath: tmp });
    vi.stubEnv(STRICT_SWITCHES_ENV, '1');
    start(['electron', 'out/main/index.js', '--remote-debugging-port=0']);
    expect(fake.recordedCalls('app.exit')).toEqual([{ name: 'app.exit', args: [1] }]);
  });
});
