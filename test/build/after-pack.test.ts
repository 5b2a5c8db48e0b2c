import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { projectDir } from './electron-builder-internals';

type Plan = { from: string; to: string };
type PlanInput = {
  projectDir: string;
  resourcesDir: string;
  electronVersion: string;
  platform: string;
  arch: number;
  host: { platform: string; arch: string };
  exists: (path: string) => boolean;
};
type FakeContext = {
  appOutDir: string;
  electronPlatformName: string;
  arch: number;
  packager: {
    projectDir: string;
    getResourcesDir(appOutDir: string): string;
    info: { framework: { version: string } };
  };
};
type AfterPackModule = {
  ARCH_NAMES: readonly string[];
  nativeBindingSource: (projectDir: string, electronVersion: string) => string;
  nativeBindingTarget: (resourcesDir: string) => string;
  planNativeBinding: (o: PlanInput) => Plan;
  afterPack: (context: FakeContext) => Promise<void>;
  default: unknown;
};

let hook: AfterPackModule;

beforeAll(async () => {
  // A plain .mjs (electron-builder loads it without TypeScript), imported by URL.
  hook = (await import(pathToFileURL(join(projectDir, 'build', 'after-pack.mjs')).href)) as AfterPackModule;
});

const X64 = 1;
const ARM64 = 3;
const host = { platform: 'linux', arch: 'x64' };

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    projectDir: '/src/earmark',
    resourcesDir: '/src/earmark/dist/linux-unpacked/resources',
    electronVersion: '45.6.1',
    platform: 'linux',
    arch: X64,
    host,
    exists: () => true,
    ...overrides,
  };
}

describe('after-pack: planning the native module copy', () => {
  it('is what electron-builder calls as the afterPack hook', () => {
    expect(hook.default).toBe(hook.afterPack);
  });

  it("maps electron-builder's Arch values to Node's arch names", () => {
    expect(hook.ARCH_NAMES[X64]).toBe('x64');
    expect(hook.ARCH_NAMES[ARM64]).toBe('arm64');
  });

  it('copies the Electron build from .native over the Node build in app.asar.unpacked', () => {
    expect(hook.planNativeBinding(input())).toEqual({
      from: join('/src/earmark', '.native', 'electron-45.6.1', 'better_sqlite3.node'),
      to: join(
        '/src/earmark/dist/linux-unpacked/resources',
        'app.asar.unpacked',
        'node_modules',
        'better-sqlite3',
        'build',
        'Release',
        'better_sqlite3.node',
      ),
    });
  });

  it('treats a Mac App Store build as macOS', () => {
    const plan = hook.planNativeBinding(
      input({ platform: 'mas', arch: ARM64, host: { platform: 'darwin', arch: 'arm64' } }),
    );
    expect(plan.from).toContain('electron-45.6.1');
  });

  it.each([
    ['another OS', { platform: 'win32' }],
    ['another arch', { arch: ARM64 }],
    ['a universal macOS build', { platform: 'darwin', arch: 4, host: { platform: 'darwin', arch: 'arm64' } }],
  ])('refuses to package for %s, whose binary this machine did not build', (_what, overrides) => {
    expect(() => hook.planNativeBinding(input(overrides))).toThrow(/package .* on a .* machine/);
  });

  it('stops with the command to run when the Electron build is missing', () => {
    const missing = hook.nativeBindingSource('/src/earmark', '45.6.1');
    expect(() => hook.planNativeBinding(input({ exists: (p) => p !== missing }))).toThrow(/native-for-electron\.mjs/);
  });

  it('stops when better-sqlite3 was not unpacked from the asar', () => {
    const target = hook.nativeBindingTarget('/src/earmark/dist/linux-unpacked/resources');
    expect(() => hook.planNativeBinding(input({ exists: (p) => p !== target }))).toThrow(/asarUnpack/);
  });
});

describe('after-pack: the hook on a packed app', () => {
  let tmp: string;

  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'earmark-after-pack-'));
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('replaces the Node build of better-sqlite3 in the package with the Electron build', async () => {
    const project = join(tmp, 'project');
    const appOutDir = join(tmp, 'out');
    const resources = join(appOutDir, 'resources');
    const source = hook.nativeBindingSource(project, '45.6.1');
    const target = hook.nativeBindingTarget(resources);
    await mkdir(dirname(source), { recursive: true });
    await writeFile(source, 'electron-abi');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, 'node-abi');
    const archIndex = hook.ARCH_NAMES.indexOf(process.arch);
    await hook.afterPack({
      appOutDir,
      electronPlatformName: process.platform,
      arch: archIndex,
      packager: {
        projectDir: project,
        getResourcesDir: (dir) => join(dir, 'resources'),
        info: { framework: { version: '45.6.1' } },
      },
    });
    expect(await readFile(target, 'utf8')).toBe('electron-abi');
  });
});
