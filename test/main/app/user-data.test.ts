import { describe, expect, it } from 'vitest';
import {
  decideUserData,
  isNetworkPath,
  parseDarwinMounts,
  parseProcMounts,
  vaultDir,
} from '../../../main/app/user-data';

const PROC_MOUNTS = [
  '/dev/sda1 / ext4 rw,relatime 0 0',
  'proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0',
  'tmpfs /tmp tmpfs rw,nosuid,nodev 0 0',
  'fs01:/export/home /home/alice nfs4 rw,relatime,vers=4.2 0 0',
  '//fs02/Team\\040Share /mnt/Team\\040Share cifs rw,relatime,vers=3.1.1 0 0',
  '/dev/sdb1 /home/alice/local ext4 rw,relatime 0 0',
  '',
].join('\n');

const DARWIN_MOUNT = [
  '/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)',
  '/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse, protect)',
  'map auto_home on /System/Volumes/Data/home (autofs, automounted, nobrowse)',
  '//alice@fs03.corp/homes on /Users/alice (smbfs, nodev, nosuid, mounted by alice)',
  '//bob@fs03.corp/Shared Files on /Volumes/Shared Files (smbfs, nodev, nosuid, mounted by alice)',
].join('\n');

describe('parseProcMounts', () => {
  it('reads mount points and types, unescaping \\040 as a space', () => {
    expect(parseProcMounts(PROC_MOUNTS)).toContainEqual({ mountPoint: '/mnt/Team Share', fsType: 'cifs' });
    expect(parseProcMounts(PROC_MOUNTS)).toContainEqual({ mountPoint: '/home/alice', fsType: 'nfs4' });
  });

  it('skips blank lines', () => {
    expect(parseProcMounts(PROC_MOUNTS)).toHaveLength(6);
  });
});

describe('parseDarwinMounts', () => {
  it('reads mount points with spaces and their types', () => {
    const mounts = parseDarwinMounts(DARWIN_MOUNT);
    expect(mounts).toContainEqual({ mountPoint: '/Users/alice', fsType: 'smbfs' });
    expect(mounts).toContainEqual({ mountPoint: '/Volumes/Shared Files', fsType: 'smbfs' });
    expect(mounts).toContainEqual({ mountPoint: '/', fsType: 'apfs' });
  });
});

describe('isNetworkPath', () => {
  it.each([
    '\\\\fs01\\profiles\\alice\\AppData\\Roaming\\Earmark',
    '//fs01/profiles/alice',
    '\\\\?\\UNC\\fs01\\profiles\\alice',
    '\\\\.\\UNC\\fs01\\profiles\\alice',
    '\\\\?\\unc\\fs01\\profiles\\alice',
  ])('treats the Windows path %s as network', (path) => {
    expect(isNetworkPath(path, 'win32', [])).toBe(true);
  });

  it.each(['C:\\Users\\alice\\AppData\\Roaming\\Earmark', '\\\\?\\C:\\Users\\alice', '\\\\.\\C:\\data'])(
    'treats the Windows path %s as local',
    (path) => {
      expect(isNetworkPath(path, 'win32', [])).toBe(false);
    },
  );

  it('judges a Linux path by the longest matching mount', () => {
    const mounts = parseProcMounts(PROC_MOUNTS);
    expect(isNetworkPath('/home/alice/.config/Earmark', 'linux', mounts)).toBe(true);
    expect(isNetworkPath('/home/alice/local/Earmark', 'linux', mounts)).toBe(false);
    expect(isNetworkPath('/home/alice2/.config/Earmark', 'linux', mounts)).toBe(false);
  });
});

describe('decideUserData', () => {
  it('keeps a local folder', () => {
    expect(
      decideUserData({
        userData: '/home/bob/.config/Earmark',
        platform: 'linux',
        mounts: parseProcMounts(PROC_MOUNTS),
        appName: 'Earmark',
      }),
    ).toEqual({ action: 'keep' });
  });

  it('moves a roaming Windows profile on a UNC path to LOCALAPPDATA', () => {
    expect(
      decideUserData({
        userData: '\\\\fs01\\profiles\\alice\\AppData\\Roaming\\Earmark',
        platform: 'win32',
        mounts: [],
        localAppData: 'C:\\Users\\alice\\AppData\\Local',
        appName: 'Earmark',
      }),
    ).toEqual({ action: 'relocate', to: 'C:\\Users\\alice\\AppData\\Local\\Earmark' });
  });

  it('refuses a Windows profile whose LOCALAPPDATA is a network path too', () => {
    const decision = decideUserData({
      userData: '\\\\fs01\\profiles\\alice\\AppData\\Roaming\\Earmark',
      platform: 'win32',
      mounts: [],
      localAppData: '\\\\fs01\\profiles\\alice\\AppData\\Local',
      appName: 'Earmark',
    });
    expect(decision.action).toBe('refuse');
  });

  it.each([
    ['/home/alice/.config/Earmark', 'nfs4'],
    ['/mnt/Team Share/Earmark', 'cifs'],
  ])('refuses a Linux folder %s on %s', (userData) => {
    const decision = decideUserData({
      userData,
      platform: 'linux',
      mounts: parseProcMounts(PROC_MOUNTS),
      appName: 'Earmark',
    });
    expect(decision).toMatchObject({ action: 'refuse' });
    expect(decision.action === 'refuse' && decision.reason).toContain(userData);
  });

  it('refuses a macOS home on smbfs', () => {
    const decision = decideUserData({
      userData: '/Users/alice/Library/Application Support/Earmark',
      platform: 'darwin',
      mounts: parseDarwinMounts(DARWIN_MOUNT),
      appName: 'Earmark',
    });
    expect(decision.action).toBe('refuse');
  });
});

describe('vaultDir', () => {
  it('keeps the database in a vault folder inside userData', () => {
    expect(vaultDir('/data')).toBe('/data/vault');
  });
});
