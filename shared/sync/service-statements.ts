/**
 * What the annotation service signs with its Ed25519 key, and what a client sends so a signed
 * answer cannot be replayed: the service's time and the identity a sign-in opened
 * (docs/sync-protocol.md, "Service time and signed identity"). The bytes signed are
 * `serviceStatementMessage` in ./protocol.ts.
 */
import { z } from 'zod';
import { roles } from '../domain/session';
import { base64Bytes, keyIdSchema } from './wire-formats';

const epochMs = z.int().min(0);

/** A pseudonym: the only name of a reviewer the service gives out. */
export const pseudonymSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a pseudonym is 1–64 letters, digits, "_" or "-"');

/**
 * 16 random bytes, base64url, that the client sends with a request whose answer carries signed
 * service time: the service signs it back, so an old signed answer cannot be replayed.
 */
export const timeNonceSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'a nonce is 16 bytes, base64url');

/** The service's time as it answered; `nonce` is the one the request carried (absent when it sent none). */
export const serviceTimeStatementSchema = z.strictObject({
  purpose: z.literal('service-time'),
  at: epochMs,
  nonce: timeNonceSchema.optional(),
});
export type ServiceTimeStatement = z.infer<typeof serviceTimeStatementSchema>;

/**
 * Who signed in, as the service vouches for it: the workstation trusts the role in it (a
 * supervisor's reports) only with a valid signature, for the device key it names and until
 * `expiresAt` in service time. Roles are the session roles of ./messages.ts.
 */
export const identityStatementSchema = z.strictObject({
  purpose: z.literal('identity'),
  pseudonym: pseudonymSchema,
  role: z.enum([...roles, 'operator']),
  /** The device key the session was opened with. */
  keyId: keyIdSchema,
  issuedAt: epochMs,
  expiresAt: epochMs,
});
export type IdentityStatement = z.infer<typeof identityStatementSchema>;

/** A statement and the service's Ed25519 signature over it. */
const signedStatement = <S extends z.ZodType>(statement: S) =>
  z.strictObject({ statement, signature: base64Bytes(64) });
export const signedServiceTimeSchema = signedStatement(serviceTimeStatementSchema);
export type SignedServiceTime = z.infer<typeof signedServiceTimeSchema>;
export const signedIdentitySchema = signedStatement(identityStatementSchema);
export type SignedIdentity = z.infer<typeof signedIdentitySchema>;
