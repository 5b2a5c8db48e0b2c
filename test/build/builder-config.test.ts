import type { Configuration } from 'electron-builder';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  flipWindowsFuses,
  fuses,
  fuseWireConfig,
  loadConfig,
  projectDir,
  validateConfig,
} from './electron-builder-internals';

/** The release fuses, as the requirement states them. */
const RELEASE_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableCookieEncryption: true,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
  loadBrowserProcessSpecificV8Snapshot: false,
} as const;

let release: Configuration;
let testBuild: Configuration;

beforeAll(async () => {
  release = await loadConfig('electron-builder.yml');
  testBuild = await loadConfig('electron-builder.test.yml');
});

const targets = (platform: Configuration['linux'] | Configuration['win'] | Configuration['mac']): unknown =>
  platform?.target;

describe('the release build (electron-builder.yml)', () => {
  it("passes electron-builder's own configuration schema", async () => {
    await expect(validateConfig(release)).resolves.toBeUndefined();
  });

  it('builds an AppImage and a deb for Linux', () => {
    expect(targets(release.linux)).toEqual(['AppImage', 'deb']);
  });

  it('builds an NSIS installer and a machine-wide, silent MSI with a fixed upgrade code for Windows', () => {
    expect(targets(release.win)).toEqual(['nsis', 'msi']);
    expect(release.msi).toMatchObject({ perMachine: true, runAfterFinish: false });
    expect(release.msi?.upgradeCode).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  });

  it('builds a dmg for macOS under the hardened runtime with only the JIT entitlement', () => {
    expect(targets(release.mac)).toEqual(['dmg']);
    expect(release.mac?.hardenedRuntime).toBe(true);
    const entitlements = readFileSync(join(projectDir, release.mac?.entitlements ?? 'missing'), 'utf8');
    const keys = [...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1]);
    expect(keys).toEqual(['com.apple.security.cs.allow-jit']);
    expect(release.mac?.entitlementsInherit).toBe(release.mac?.entitlements);
  });

  it('unpacks better-sqlite3 from the asar and keeps the demo recordings as extra resources', () => {
    expect(release.asarUnpack).toContain('node_modules/better-sqlite3/**');
    expect(release.asarUnpack).toEqual(expect.arrayContaining(['node_modules/koffi/**', 'node_modules/@koromix/**']));
    expect(release.extraResources).toEqual([{ from: 'resources/demo', to: 'demo' }]);
  });

  it('packs the app into an asar whose integrity electron-builder embeds', () => {
    expect(release.asar).not.toBe(false);
    expect(release.disableAsarIntegrity).not.toBe(true);
  });

  it('never rebuilds node_modules in place and adds the Electron build of better-sqlite3 after packing', () => {
    expect(release.npmRebuild).toBe(false);
    expect(release.afterPack).toBe('./build/after-pack.mjs');
    expect(existsSync(join(projectDir, 'build', 'after-pack.mjs'))).toBe(true);
  });

  it('sets every release fuse: RunAsNode, NODE_OPTIONS and CLI inspect off; cookie encryption, asar integrity and asar-only on; file: privileges off', () => {
    expect(release.electronFuses).toEqual(RELEASE_FUSES);
  });

  it('hands @electron/fuses a value for every fuse it knows', async () => {
    const wire = await fuseWireConfig(release);
    const indices = Object.values(fuses.FuseV1Options).filter((v): v is number => typeof v === 'number');
    expect(indices.length).toBeGreaterThanOrEqual(8);
    for (const index of indices) {
      expect(typeof wire[index], `fuse ${String(fuses.FuseV1Options[index])}`).toBe('boolean');
    }
  });

  it('is not published from a release build run', () => {
    expect(release.publish ?? null).toBeNull();
  });
});

describe('the test build (electron-builder.test.yml)', () => {
  it("passes electron-builder's own configuration schema", async () => {
    await expect(validateConfig(testBuild)).resolves.toBeUndefined();
  });

  it('differs from the release fuses only in leaving CLI inspect on, for Playwright', () => {
    expect(testBuild.electronFuses).toEqual({ ...RELEASE_FUSES, enableNodeCliInspectArguments: true });
  });

  it('is never published and builds away from the release artifacts', () => {
    expect(testBuild.publish).toBeNull();
    expect(testBuild.directories?.output).toBe('dist/test-build');
    expect(testBuild.directories?.output).not.toBe(release.directories?.output);
  });

  it('packages the app the same way as the release build', () => {
    for (const key of [
      'appId',
      'productName',
      'files',
      'asarUnpack',
      'extraResources',
      'npmRebuild',
      'afterPack',
    ] as const) {
      expect(testBuild[key], key).toEqual(release[key]);
    }
  });
});

describe("electron-builder's fuse step on a binary with Electron's default fuse wire", () => {
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  // Electron's defaults, in wire order: RunAsNode on, cookie encryption off, NODE_OPTIONS on,
  // CLI inspect on, asar integrity off, asar only off, browser V8 snapshot off, file: privileges on.
  const ELECTRON_DEFAULTS = '10110001';

  async function flipped(config: Configuration): Promise<string> {
    const appOutDir = await mkdtemp(join(tmpdir(), 'earmark-fuses-'));
    try {
      const binary = join(appOutDir, 'Earmark.exe');
      await writeFile(
        binary,
        Buffer.concat([
          Buffer.from('MZ…'),
          Buffer.from(SENTINEL),
          Buffer.from([1, 8]),
          Buffer.from(ELECTRON_DEFAULTS),
          Buffer.from('…'),
        ]),
      );
      await flipWindowsFuses(appOutDir, 'Earmark', await fuseWireConfig(config));
      const wire = await fuses.getCurrentFuseWire(binary);
      return Array.from({ length: 8 }, (_, i) => String.fromCharCode(wire[i] ?? 0)).join('');
    } finally {
      await rm(appOutDir, { recursive: true, force: true });
    }
  }

  it('writes the release wire', async () => {
    // RunAsNode 0, cookies 1, NODE_OPTIONS 0, inspect 0, integrity 1, asar only 1, V8 0, file: 0
    expect(await flipped(release)).toBe('01001100');
  });

  it('writes the test wire: the release wire with CLI inspect on', async () => {
    expect(await flipped(testBuild)).toBe('01011100');
  });

  it('fails the build when the binary carries no fuse wire', async () => {
    const appOutDir = await mkdtemp(join(tmpdir(), 'earmark-fuses-'));
    try {
      await mkdir(appOutDir, { recursive: true });
      await writeFile(join(appOutDir, 'Earmark.exe'), 'not electron');
      await expect(flipWindowsFuses(appOutDir, 'Earmark', await fuseWireConfig(release))).rejects.toThrow(/sentinel/);
    } finally {
      await rm(appOutDir, { recursive: true, force: true });
    }
  });
});

describe('electron-builder schema check', () => {
  it('rejects a misspelt fuse, so a typo cannot silently leave one at its default', async () => {
    const typo = { ...release, electronFuses: { ...RELEASE_FUSES, runAsnode: false } } as Configuration;
    await expect(validateConfig(typo)).rejects.toThrow(/configuration\.electronFuses/);
  });
});

describe('package scripts', () => {
  const scripts = (
    JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;

  it.each([
    ['package:linux', '--config electron-builder.yml --linux'],
    ['package:win', '--config electron-builder.yml --win'],
    ['package:mac', '--config electron-builder.yml --mac'],
    ['package:test', '--config electron-builder.test.yml --dir'],
  ])(
    '%s builds the Electron copy of better-sqlite3, then runs electron-builder %s without publishing',
    (name, args) => {
      const script = scripts[name] ?? '';
      expect(script).toContain(`electron-builder ${args} --publish never`);
      expect(script.indexOf('node scripts/native-for-electron.mjs')).toBeGreaterThan(-1);
      expect(script.indexOf('node scripts/native-for-electron.mjs')).toBeLessThan(script.indexOf('electron-builder'));
      expect(script.indexOf('npm run build')).toBeLessThan(script.indexOf('electron-builder'));
    },
  );
});
