// electron-builder afterPack hook (electron-builder.yml `afterPack`): puts the better-sqlite3
// addon built for Electron's ABI into the packaged app.
//
// Why: node_modules/better-sqlite3 stays built for Node because the tests load it, and
// electron-builder's npmRebuild (off) would rebuild it in place. scripts/native-for-electron.mjs
// builds an Electron-ABI copy into .native/electron-<version>/; this hook copies it over the Node
// build in app.asar.unpacked, which is where the packaged app loads it from (asarUnpack).
// It runs before electron-builder flips the fuses and signs, so the copy is signed with the rest.
//
// That copy is built for the machine running the build, so each OS/arch is packaged on its own
// kind of machine; a cross build stops here with a message instead of shipping a binary that
// cannot load.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** electron-builder's `Arch` enum (builder-util) by value: ia32 = 0, x64 = 1, … */
export const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

/** Where scripts/native-for-electron.mjs leaves the Electron-ABI addon. */
export function nativeBindingSource(projectDir, electronVersion) {
  return join(projectDir, '.native', `electron-${electronVersion}`, 'better_sqlite3.node');
}

/** Where the packaged app loads the addon from: better-sqlite3's own path, outside the asar. */
export function nativeBindingTarget(resourcesDir) {
  return join(
    resourcesDir,
    'app.asar.unpacked',
    'node_modules',
    'better-sqlite3',
    'build',
    'Release',
    'better_sqlite3.node',
  );
}

/**
 * Decides what to copy, or throws why this package cannot be made here.
 * @param {{
 *   projectDir: string, resourcesDir: string, electronVersion: string,
 *   platform: string, arch: number, host: { platform: string, arch: string },
 *   exists: (path: string) => boolean,
 * }} o
 * @returns {{ from: string, to: string }}
 */
export function planNativeBinding(o) {
  const platform = o.platform === 'mas' ? 'darwin' : o.platform;
  const arch = ARCH_NAMES[o.arch] ?? `arch ${o.arch}`;
  if (platform !== o.host.platform || arch !== o.host.arch) {
    throw new Error(
      `[after-pack] better-sqlite3 for Electron is built for this machine (${o.host.platform}-${o.host.arch}); ` +
        `package ${platform}-${arch} on a ${platform}-${arch} machine.`,
    );
  }
  const from = nativeBindingSource(o.projectDir, o.electronVersion);
  if (!o.exists(from)) {
    throw new Error(
      `[after-pack] ${from} is missing: run "node scripts/native-for-electron.mjs" through npm first (npm run package:* does).`,
    );
  }
  const to = nativeBindingTarget(o.resourcesDir);
  if (!o.exists(to)) {
    throw new Error(`[after-pack] ${to} is missing: better-sqlite3 must be unpacked from the asar (asarUnpack).`);
  }
  return { from, to };
}

/** The hook electron-builder calls once per platform and arch, after packing, before fuses and signing. */
export async function afterPack(context) {
  const { from, to } = planNativeBinding({
    projectDir: context.packager.projectDir,
    resourcesDir: context.packager.getResourcesDir(context.appOutDir),
    electronVersion: context.packager.info.framework.version,
    platform: context.electronPlatformName,
    arch: context.arch,
    host: { platform: process.platform, arch: process.arch },
    exists: existsSync,
  });
  copyFileSync(from, to);
}

export default afterPack;
