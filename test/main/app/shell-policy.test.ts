import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../../fakes/electron';
import { startShell, type ShellOptions, type ShellState } from '../../../main/app/shell';
import { createLogger } from '../../../main/log/logger';
import { machinePolicyPath } from '../../../main/policy/policy-loader';

vi.mock('electron', () => import('../../fakes/electron'));

const TITLE = 'Earmark cannot use its admin policy';

let tmp: string;
let userData: string;
let policyFile: string;
let logs: string[];
let state: ShellState | undefined;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'earmark-shell-policy-'));
  userData = join(tmp, 'user-data');
  policyFile = join(tmp, 'policy.json');
  logs = [];
  await mkdir(join(tmp, 'out', 'renderer'), { recursive: true });
  await writeFile(join(tmp, 'out', 'renderer', 'index.html'), '<!doctype html><title>Earmark</title>');
  fake.resetFake({ isPackaged: true, userData, appPath: tmp });
});

afterEach(async () => {
  state?.services?.close();
  state = undefined;
  vi.unstubAllEnvs();
  await rm(tmp, { recursive: true, force: true });
});

async function startReady(overrides: Partial<ShellOptions> = {}): Promise<ShellState> {
  state = startShell({
    argv: ['earmark'],
    outDir: join(tmp, 'out'),
    logger: createLogger('debug', (l) => logs.push(l)),
    platform: 'linux',
    policyFile,
    ...overrides,
  });
  await fake.emitReady();
  return state;
}

const errorBoxes = () =>
  fake.recordedCalls('dialog.showErrorBox').map((c) => ({ title: c.args[0], message: String(c.args[1]) }));

function expectRefusedBeforeServices(s: ShellState): void {
  expect(fake.recordedCalls('app.quit')).toHaveLength(1);
  expect(fake.firstCallIndex('dialog.showErrorBox')).toBeLessThan(fake.firstCallIndex('app.quit'));
  expect(s.services).toBeUndefined();
  expect(fake.BrowserWindow.getAllWindows()).toHaveLength(0);
  expect(fake.recordedCalls('protocol.handle')).toHaveLength(0);
  expect(fake.recordedCalls('ipcMain.handle')).toHaveLength(0);
}

describe('startShell with a malformed admin policy', () => {
  it('refuses to start with an error box naming the file and the field, and quits', async () => {
    await writeFile(policyFile, JSON.stringify({ idleLockMinutes: 0 }));
    const s = await startReady();
    const [box, ...others] = errorBoxes();
    expect(others).toHaveLength(0);
    expect(box?.title).toBe(TITLE);
    expect(box?.message).toContain(policyFile);
    expect(box?.message).toContain('"idleLockMinutes"');
    expectRefusedBeforeServices(s);
  });

  it('refuses to start when the file is not JSON, rather than run on defaults', async () => {
    await writeFile(policyFile, '{ idleLockMinutes: 5 }');
    const s = await startReady();
    const boxes = errorBoxes();
    expect(boxes.map((b) => b.title)).toEqual([TITLE]);
    expect(boxes[0]?.message).toMatch(/not valid JSON/);
    expectRefusedBeforeServices(s);
  });

  it('opens no review database when it refuses', async () => {
    await writeFile(policyFile, '[]');
    await startReady();
    await expect(readdir(userData)).resolves.not.toContain('vault');
  });

  it('logs the refusal without the policy contents', async () => {
    await writeFile(policyFile, JSON.stringify({ serviceUrl: 'http://secret-host.example' }));
    await startReady();
    const all = logs.join('\n');
    expect(all).toContain('startup refused');
    expect(all).not.toContain('secret-host');
  });
});

describe('startShell with a valid admin policy', () => {
  it('starts and hands the policy to the services', async () => {
    const policy = { idleLockMinutes: 5, prefill: 'blank', uiLanguages: ['ro', 'en'] };
    await writeFile(policyFile, JSON.stringify(policy));
    const s = await startReady();
    expect(errorBoxes()).toEqual([]);
    expect(s.policy).toMatchObject({ file: policyFile, found: true, policy });
    expect(s.services?.policy).toEqual(policy);
    expect(fake.BrowserWindow.getAllWindows()).toHaveLength(1);
  });

  it('starts with unknown keys, reporting them as a warning', async () => {
    await writeFile(policyFile, JSON.stringify({ idleLockMinutes: 5, screensaver: true }));
    const s = await startReady();
    expect(errorBoxes()).toEqual([]);
    expect(s.policy?.unknownKeys).toEqual(['screensaver']);
    const warnings = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['level'] === 'warn');
    expect(warnings).toContainEqual(
      expect.objectContaining({ message: 'policy: unknown keys ignored', keys: 'screensaver' }),
    );
  });

  it('starts on defaults and user settings when there is no policy file', async () => {
    const s = await startReady();
    expect(errorBoxes()).toEqual([]);
    expect(s.policy).toMatchObject({ found: false, policy: {} });
    expect(s.services?.policy).toEqual({});
  });
});

describe('startShell policy location', () => {
  it('reads EARMARK_POLICY_FILE in a development build', async () => {
    fake.resetFake({ isPackaged: false, userData, appPath: tmp });
    await writeFile(policyFile, 'not json');
    vi.stubEnv('EARMARK_POLICY_FILE', policyFile);
    await startReady({ policyFile: undefined });
    const boxes = errorBoxes();
    expect(boxes.map((b) => b.title)).toEqual([TITLE]);
    expect(boxes[0]?.message).toContain(policyFile);
  });

  it('ignores EARMARK_POLICY_FILE in a packaged app and reads the machine-wide file', async () => {
    await writeFile(policyFile, 'not json');
    vi.stubEnv('EARMARK_POLICY_FILE', policyFile);
    const s = await startReady({ policyFile: undefined });
    expect(s.policy?.file).toBe(machinePolicyPath('linux'));
    expect(errorBoxes().filter((b) => b.title === TITLE)).toEqual([]);
  });
});
