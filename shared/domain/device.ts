/**
 * The workstation's device key as the reviewer may see it: only its public half, which an
 * operator needs to approve the workstation or to pack a batch for it.
 */
export type DeviceInfo = {
  /** The short id a package header names its recipient by (16 hex digits). */
  readonly keyId: string;
  /** SHA-256 of the raw public key in hex, to compare with what the operator sees. */
  readonly fingerprint: string;
  /** The public key as SPKI PEM, the form `npm run batch -- pack --device-key` reads. */
  readonly publicKeyPem: string;
};

/** Where `device:savePublicKey` wrote the key; null when the reviewer cancelled. */
export type SavedPublicKey = { readonly file: string | null };
