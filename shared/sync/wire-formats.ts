/** Wire formats several protocol messages share (./messages.ts, ./service-statements.ts). */
import { z } from 'zod';

/** Padded standard base64 of exactly `bytes` bytes: raw public keys travel like this. */
export const base64Bytes = (bytes: number) =>
  z
    .string()
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, 'not padded base64')
    .refine(
      (s) => (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0) === bytes,
      `must decode to ${bytes} bytes`,
    );

/** A device key id: the first 16 hex digits of SHA-256 over the raw X25519 public key. */
export const keyIdSchema = z.string().regex(/^[0-9a-f]{16}$/, 'a key id is 16 hex digits');
