/**
 * The workstation's device key in memory: loaded from the key store on first use, dropped when
 * the app locks, refused until it unlocks. The vault, the annotation key and the sealed
 * monotonic state all derive from it, so it is held in one place that depends on nothing else.
 */
import type { DeviceKey } from '../../core/crypto/device-key';
import type { KeyStore } from '../crypto/key-store';
import { lockedError } from './locked-error';

/** The public half of the device key: no secret, so it may stay in memory while the app is locked. */
export type DevicePublicKey = Pick<DeviceKey, 'keyId' | 'publicKey'>;

export function createDeviceKeys(keyStore: Pick<KeyStore, 'loadOrCreateDeviceKey'>) {
  let device: DeviceKey | undefined;
  let devicePublic: DevicePublicKey | undefined;
  /** Set while the app is locked: the key may not be loaded until it is unlocked. */
  let locked = false;

  return {
    /** The device key; throws the lock error while the app is locked. */
    deviceKey: (): DeviceKey => {
      if (locked) {
        throw lockedError();
      }
      device ??= keyStore.loadOrCreateDeviceKey();
      devicePublic ??= { keyId: device.keyId, publicKey: device.publicKey };
      return device;
    },

    /**
     * The device key for one check while locked (the unlock secret's verifier), read from the
     * key store and kept nowhere; the caller drops it when done.
     */
    deviceKeyOnce: (): DeviceKey => device ?? keyStore.loadOrCreateDeviceKey(),

    /** The device public key, which work held while locked is sealed for. */
    devicePublicKey: (): DevicePublicKey => {
      if (!devicePublic) {
        const loaded = keyStore.loadOrCreateDeviceKey();
        devicePublic = { keyId: loaded.keyId, publicKey: loaded.publicKey };
      }
      return devicePublic;
    },

    /** Drops the key (a KeyObject cannot be wiped, so no reference to it is kept) and refuses it until `unlock`. */
    lock: (): void => {
      locked = true;
      device = undefined;
    },

    /** The key loads again from the key store on its next use. */
    unlock: (): void => {
      locked = false;
    },
  };
}

export type DeviceKeys = ReturnType<typeof createDeviceKeys>;
