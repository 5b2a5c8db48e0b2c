/**
 * Sealed monotonic state: a few small values (the trusted clock's floor; later unlock failures
 * and the high-water mark of committed work) that must be neither edited nor wound back.
 *
 * Each entry is a settings row `sealed.<name>` holding a counter and its value, sealed with
 * AES-256-GCM under a key derived from the device key, with the name and the counter as
 * associated data: an edited row, a row copied under another name or a counter changed by hand
 * does not open. Each write raises the counter by one and then records it in the state anchor,
 * which the key store keeps beside the device key, outside the database. A row whose counter is
 * below the anchor's is an older copy: a restored backup of the row or of the whole database.
 *
 * Order of writes: the row first, then the anchor. A crash between them leaves the row ahead
 * of the anchor, which reads as valid; the other order would make a crash look like a rollback.
 * For the same reason an entry never advances inside an open transaction, whose row could still
 * roll back under an anchor already written.
 *
 * What it cannot see: the database and the anchor restored together (a copy of the whole data
 * folder), since nothing outside that folder remembers more.
 */
import { z } from 'zod';
import { aad } from '../../core/crypto/aead';
import { CodecError, openJson, sealedFromText, sealedToText, sealJson } from '../../core/crypto/codec';
import { deriveLocalKey, type DeviceKey } from '../../core/crypto/device-key';
import { InvalidSettingError, type SettingsRepository } from './repositories/settings.repository';
import type { SealedEnvelope, SealedName } from './repositories/settings.schema';

/** `tampered`: an entry or the anchor does not authenticate; `rolledBack`: an older copy. */
export type SealedStateFault = 'tampered' | 'rolledBack';

/** Raised (or returned by `read`) when sealed state was altered or restored from an older copy. */
export class SealedStateError extends Error {
  override readonly name = 'SealedStateError';
  constructor(
    readonly fault: SealedStateFault,
    readonly entry: SealedName,
    detail: string,
  ) {
    super(`Sealed state "${entry}" ${fault === 'tampered' ? 'was altered' : 'was rolled back'}: ${detail}`);
  }
}

/** What `read` found: the value, nothing ever written, or the fault that makes it unusable. */
export type SealedRead<T> =
  | { readonly state: 'present'; readonly value: T; readonly counter: number }
  | { readonly state: 'absent' }
  | { readonly state: 'refused'; readonly error: SealedStateError };

/** Keeps the anchor's text; `write` replaces it in one atomic step. */
export type StateAnchorStore = {
  readStateAnchor(): string | undefined;
  writeStateAnchor(text: string): void;
};

export type SealedStateDeps = {
  readonly settings: SettingsRepository;
  /** Where the anchor lives, outside the database: the key store, beside the device key. */
  readonly anchor: StateAnchorStore;
  /** The device key; it throws while the app is locked, so nothing is read or written then. */
  readonly deviceKey: () => DeviceKey;
  /**
   * The database was created by this start. The anchor's counters vouch for rows of a database
   * that no longer exists, so they start over at the first use: a new database holds no batch
   * and no work for an older floor to protect. An older copy restored over a newer one is not
   * new (its schema version is set), so it is still caught.
   */
  readonly newDatabase?: boolean;
};

const ANCHOR_FORMAT = 1;
type Counters = Partial<Record<SealedName, number>>;
const countersSchema = z.record(z.string(), z.number().int().nonnegative());

/** Rows and the anchor file hold a sealed value as one base64 text. */
const sealedText = (key: Buffer, value: unknown, associated: Buffer): string =>
  sealedToText(sealJson(key, value, associated));
const openText = <S extends z.ZodType>(key: Buffer, text: string, associated: Buffer, schema: S, what: string) =>
  openJson(key, sealedFromText(text), associated, schema, what);
const entryAad = (name: SealedName, counter: number): Buffer => aad('sealed-state', name, String(counter));
const anchorAad = (): Buffer => aad('sealed-state-anchor', String(ANCHOR_FORMAT));
const rowKey = (name: SealedName) => `sealed.${name}` as const;

export function createSealedState(d: SealedStateDeps) {
  let startOver = d.newDatabase === true;
  /** Runs `use` with the state key, derived for this one use and zero-filled right after. */
  const withKey = <T>(use: (key: Buffer) => T, deviceKey: () => DeviceKey = d.deviceKey): T => {
    const key = deriveLocalKey(deviceKey(), 'sealed-state');
    try {
      if (startOver) {
        writeAnchor(key, {});
        startOver = false;
      }
      return use(key);
    } finally {
      key.fill(0);
    }
  };

  /** The anchor's counters; undefined when it does not authenticate. */
  const readAnchor = (key: Buffer): Counters | undefined => {
    const text = d.anchor.readStateAnchor();
    if (text === undefined) {
      return {};
    }
    try {
      return openText(key, text.trim(), anchorAad(), countersSchema, 'The state anchor');
    } catch {
      return undefined;
    }
  };

  const writeAnchor = (key: Buffer, counters: Counters): void => {
    d.anchor.writeStateAnchor(sealedText(key, counters, anchorAad()));
  };

  const readEnvelope = (name: SealedName): SealedEnvelope | undefined => {
    try {
      return d.settings.get(rowKey(name));
    } catch (error) {
      if (error instanceof InvalidSettingError) {
        throw new SealedStateError('tampered', name, 'its row is not a sealed entry.');
      }
      throw error;
    }
  };

  const readWith = <T>(key: Buffer, name: SealedName, schema: z.ZodType<T>): SealedRead<T> & { anchor?: Counters } => {
    const refused = (fault: SealedStateFault, detail: string): SealedRead<T> => ({
      state: 'refused',
      error: new SealedStateError(fault, name, detail),
    });
    try {
      const anchor = readAnchor(key);
      if (!anchor) {
        return refused('tampered', 'the state anchor beside the device key does not authenticate.');
      }
      const envelope = readEnvelope(name);
      const floor = anchor[name];
      if (!envelope) {
        // Anchored at 0: a first write that crashed before its row was saved.
        return floor === undefined || floor === 0
          ? { state: 'absent', anchor }
          : refused('rolledBack', `its row is gone, but counter ${floor} was written.`);
      }
      if (floor === undefined) {
        return refused('tampered', 'its row is not recorded in the state anchor.');
      }
      let value: T;
      try {
        value = openText(key, envelope.sealed, entryAad(name, envelope.counter), schema, `Sealed state "${name}"`);
      } catch (error) {
        return refused(
          'tampered',
          error instanceof CodecError
            ? 'its value does not have the expected form.'
            : 'its row does not authenticate under this device key.',
        );
      }
      if (envelope.counter < floor) {
        return refused('rolledBack', `its row has counter ${envelope.counter}, but ${floor} was written.`);
      }
      return { state: 'present', value, counter: envelope.counter, anchor };
    } catch (error) {
      if (error instanceof SealedStateError) {
        return { state: 'refused', error };
      }
      throw error;
    }
  };

  const access = (deviceKey: () => DeviceKey) => ({
    /** The entry's value, checked against `schema`, or why it cannot be trusted. */
    read<T>(name: SealedName, schema: z.ZodType<T>): SealedRead<T> {
      return withKey((key) => {
        const { anchor: _anchor, ...found } = readWith(key, name, schema);
        return found;
      }, deviceKey);
    },

    /**
     * Writes `value` as the entry's next counter, then raises the anchor to it.
     * @throws SealedStateError when the current entry cannot be trusted: a write must not
     * launder an altered or rolled-back entry.
     */
    advance<T>(name: SealedName, schema: z.ZodType<T>, value: T): void {
      if (d.settings.inTransaction()) {
        throw new Error('Sealed state advances outside a transaction, so its row cannot roll back under the anchor.');
      }
      const checked = schema.parse(value);
      withKey((key) => {
        const current = readWith(key, name, schema);
        if (current.state === 'refused') {
          throw current.error;
        }
        const anchor = current.anchor ?? {};
        const counter = current.state === 'present' ? current.counter + 1 : 1;
        if (anchor[name] === undefined) {
          // Recorded before the first row, so a row that later vanishes reads as a rollback.
          writeAnchor(key, { ...anchor, [name]: 0 });
        }
        d.settings.set(rowKey(name), { counter, sealed: sealedText(key, checked, entryAad(name, counter)) });
        writeAnchor(key, { ...anchor, [name]: counter });
      }, deviceKey);
    },
  });

  return {
    ...access(d.deviceKey),
    /**
     * The same state reached with another source of the device key: the lock keeps its count of
     * wrong tries here while locked, when `deviceKey` refuses, with a key read once per use.
     */
    withDeviceKey: (deviceKey: () => DeviceKey): SealedStateAccess => access(deviceKey),
  };
}

/** Reading and advancing entries; what a caller that holds no device key of its own needs. */
export type SealedStateAccess = {
  read<T>(name: SealedName, schema: z.ZodType<T>): SealedRead<T>;
  advance<T>(name: SealedName, schema: z.ZodType<T>, value: T): void;
};

export type SealedState = ReturnType<typeof createSealedState>;
