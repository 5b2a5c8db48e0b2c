/**
 * Keeps the review database off network shares: a roaming profile or a mounted share would put
 * encrypted clips and the WAL on a server, and SQLite's locking is unreliable there.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, win32 } from 'node:path';

export type Mount = { readonly mountPoint: string; readonly fsType: string };

const NETWORK_FS = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb',
  'smb2',
  'smb3',
  'smbfs',
  'afpfs',
  'webdav',
  'davfs',
  'fuse.davfs',
  'fuse.sshfs',
  'sshfs',
  'afs',
  'ncpfs',
  'glusterfs',
  'fuse.glusterfs',
  'ceph',
  'fuse.rclone',
  '9p',
]);

/** Parses /proc/mounts (Linux), where spaces in paths are written as \040. */
export function parseProcMounts(text: string): Mount[] {
  return text
    .split('\n')
    .map((line) => line.split(' '))
    .filter((f) => f.length >= 3)
    .map(([, mountPoint = '', fsType = '']) => ({
      mountPoint: mountPoint.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8))),
      fsType,
    }));
}

/** Parses the output of macOS `mount`: `//u@host/share on /Volumes/share (smbfs, nodev, …)`. */
export function parseDarwinMounts(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const m = /^.+? on (.+) \(([^,)]+)/.exec(line);
    if (m?.[1] && m[2]) {
      mounts.push({ mountPoint: m[1], fsType: m[2].trim() });
    }
  }
  return mounts;
}

/** True when `path` is on a network file system, judged by path form (Windows) or mount table. */
export function isNetworkPath(path: string, platform: NodeJS.Platform, mounts: readonly Mount[]): boolean {
  if (platform === 'win32') {
    const p = path.replace(/\//g, '\\');
    // Both device-path prefixes (\\?\ and \\.\) can name a share via UNC\.
    if (/^\\\\[?.]\\UNC\\/i.test(p)) {
      return true;
    }
    return p.startsWith('\\\\') && !/^\\\\[?.]\\/.test(p);
  }
  let best: Mount | undefined;
  for (const m of mounts) {
    const prefix = m.mountPoint.endsWith('/') ? m.mountPoint : `${m.mountPoint}/`;
    const within = path === m.mountPoint || path.startsWith(prefix);
    if (within && (!best || m.mountPoint.length > best.mountPoint.length)) {
      best = m;
    }
  }
  return best !== undefined && NETWORK_FS.has(best.fsType.toLowerCase());
}

/** Reads this machine's mount table; empty where there is none to read (Windows). */
export function readMounts(platform: NodeJS.Platform): Mount[] {
  try {
    if (platform === 'linux') {
      return parseProcMounts(readFileSync('/proc/mounts', 'utf8'));
    }
    if (platform === 'darwin') {
      return parseDarwinMounts(execFileSync('/sbin/mount', { encoding: 'utf8', timeout: 5000 }));
    }
  } catch {
    // No mount table: fall back to path checks alone.
  }
  return [];
}

export type UserDataDecision =
  | { readonly action: 'keep' }
  | { readonly action: 'relocate'; readonly to: string }
  | { readonly action: 'refuse'; readonly reason: string };

export type UserDataFacts = {
  readonly userData: string;
  readonly platform: NodeJS.Platform;
  readonly mounts: readonly Mount[];
  /** %LOCALAPPDATA% on Windows, where a roaming profile keeps a local folder. */
  readonly localAppData?: string | undefined;
  readonly appName: string;
};

/** Keep a local userData; move a roaming one to the local profile; refuse anything else. */
export function decideUserData(f: UserDataFacts): UserDataDecision {
  if (!isNetworkPath(f.userData, f.platform, f.mounts)) {
    return { action: 'keep' };
  }
  if (f.platform === 'win32' && f.localAppData && !isNetworkPath(f.localAppData, f.platform, f.mounts)) {
    return { action: 'relocate', to: win32.join(f.localAppData, f.appName) };
  }
  return {
    action: 'refuse',
    reason:
      `Earmark keeps its encrypted review data in ${f.userData}, which is on a network drive. ` +
      'Review data must stay on this computer. Ask IT to give this profile a local application-data folder.',
  };
}

/** The folder inside userData that holds the review database. */
export const vaultDir = (userData: string): string => join(userData, 'vault');
