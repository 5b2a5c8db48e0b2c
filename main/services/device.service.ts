/**
 * The workstation's key, readable: its fingerprint for comparing with an operator's list, and
 * its public half as a PEM file for packing batches offline. Nothing here touches the private
 * key, so no secret can leave through it.
 */
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { replaceFile, trySyncFolder } from '../../core/fs/durable-file';
import { publicKeyPem, rawPublicKey } from '../../core/crypto/device-key';
import type { DeviceInfo, SavedPublicKey } from '../../shared/domain/device';
import type { DevicePublicKey } from './device-keys';
import { ServiceError } from './service-error';
import type { SyncDialogs } from './sync/offline';

export type DeviceServiceDeps = {
  readonly devicePublicKey: () => DevicePublicKey;
  /** The shell's save chooser; absent where there is no desktop. */
  readonly dialogs: Pick<SyncDialogs, 'choosePublicKeyFile'> | undefined;
};

/** SHA-256 over the raw 32-byte public key, in hex: `keyId` is its first 16 digits. */
export function deviceFingerprint(key: DevicePublicKey): string {
  return createHash('sha256').update(rawPublicKey(key.publicKey)).digest('hex');
}

export function createDeviceService(d: DeviceServiceDeps) {
  const info = (): DeviceInfo => {
    const key = d.devicePublicKey();
    return { keyId: key.keyId, fingerprint: deviceFingerprint(key), publicKeyPem: publicKeyPem(key.publicKey) };
  };
  /**
   * Writes the public key where asked, as `batch keygen` writes `device.pub`: whole, through a
   * flushed temporary file, so the file an operator packs for is never left empty by a power cut.
   * Its folder is flushed too where it can be; a folder that cannot (a network share failing)
   * does not turn a saved key into an error, as the file is in place and any earlier one gone.
   */
  const savePublicKeyTo = (file: string): SavedPublicKey => {
    replaceFile(file, publicKeyPem(d.devicePublicKey().publicKey), { mode: 0o644, lasting: false });
    trySyncFolder(dirname(file));
    return { file };
  };
  return {
    info,
    savePublicKeyTo,
    /** Asks where to save, then writes the PEM; `file` is null when the reviewer cancelled. */
    async savePublicKey(): Promise<SavedPublicKey> {
      if (!d.dialogs) {
        throw new ServiceError('UNAVAILABLE', 'Choosing files is not available here.');
      }
      const file = await d.dialogs.choosePublicKeyFile(`earmark-device-${info().keyId}.pub`);
      return file ? savePublicKeyTo(file) : { file: null };
    },
  };
}

export type DeviceService = ReturnType<typeof createDeviceService>;
