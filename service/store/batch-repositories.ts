/**
 * Batches and their clips as the store keeps them. The same conventions as ./repositories.ts:
 * every method returns a promise and is atomic on its own.
 */
import type { PackedClipDetails } from '../../shared/batch-package/manifest';

export type ServiceBatch = {
  readonly batchId: string;
  readonly assignedTo: string;
  readonly locale: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
  readonly clipCount: number;
};

export type NewBatch = Omit<ServiceBatch, 'revokedAt' | 'clipCount'> & { readonly clips: readonly ServiceClip[] };

export type ServiceClip = { readonly details: PackedClipDetails; readonly audio: Buffer | null };

/** Batches and their clips, as the service issues them. */
export type BatchRepository = {
  /** Adds a batch and its clips atomically. */
  add(b: NewBatch): Promise<void>;
  find(batchId: string): Promise<ServiceBatch | undefined>;
  /** An account's batches, oldest first. */
  assignedTo(account: string): Promise<ServiceBatch[]>;
  /** A batch's clips in batch order. */
  clips(batchId: string): Promise<ServiceClip[]>;
  hasClip(batchId: string, clipId: string): Promise<boolean>;
  /** Every batch, newest first, at most `limit`; of one account only when `assignedTo` is given. */
  list(q: { readonly assignedTo?: string; readonly limit: number }): Promise<ServiceBatch[]>;
  /** Assigns a batch to another account; false when there is no such batch. */
  assign(batchId: string, account: string): Promise<boolean>;
  /** Moves a batch's expiry; false when there is no such batch. */
  setExpiry(batchId: string, expiresAt: number): Promise<boolean>;
  /** Revokes a batch (the first revocation time stays); false when there is no such batch. */
  revoke(batchId: string, now: number): Promise<boolean>;
  /**
   * Erases a clip whose consent was withdrawn: its audio goes and its details become its id and
   * the withdrawn mark. False when the batch has no such clip. Doing it again changes nothing.
   */
  withdrawClip(batchId: string, clipId: string): Promise<boolean>;
  /** Whether the clip's consent is withdrawn. */
  isWithdrawn(batchId: string, clipId: string): Promise<boolean>;
  /** The ids of a batch's withdrawn clips, in batch order. */
  withdrawnClips(batchId: string): Promise<string[]>;
  /**
   * Erases the audio of every clip of every batch that ended (revoked, or past its expiry) before
   * `endedBefore`, and returns how many clips lost their audio. Details stay: they hold
   * pseudonymous ids and hints only, and late uploads for the batch are still checked against them.
   */
  purgeEndedAudio(endedBefore: number): Promise<number>;
};

/** What the checks of one incoming op read about its batch, its clip and the device it came from. */
export type OpCheckFacts = {
  /** The batch's reviewer, or null when there is no such batch. */
  readonly assignedTo: string | null;
  /** Whether the batch holds the clip asked about (false when none was). */
  readonly hasClip: boolean;
  /** Whether that clip's consent is withdrawn. */
  readonly withdrawn: boolean;
  /** Whether the sending device's checkout of the batch was released (handed over). */
  readonly releasedFromDevice: boolean;
  /** The device holding the batch now, or null while nobody holds it. */
  readonly holderKeyId: string | null;
};

/**
 * The facts every incoming op is checked against, in one lookup: each upload reads them for each
 * of its ops, and one round trip costs a networked store more than the lookup itself.
 */
export type OpCheckRepository = {
  facts(q: {
    readonly account: string;
    readonly keyId: string;
    readonly batchId: string;
    readonly clipId?: string | undefined;
  }): Promise<OpCheckFacts>;
};
