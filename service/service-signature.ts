/**
 * Statements the service signs with its Ed25519 key: its time (bound to the caller's nonce) and
 * the identity a sign-in opened. Workstations verify them with the public key their admin policy
 * pins (docs/sync-protocol.md, "Service time and signed identity").
 */
import { rawSigningPublicKey, signBytes, type SigningKey } from '../core/crypto/signing-key';
import type {
  IdentityStatement,
  SignedIdentity,
  SignedServiceTime,
  ServiceTimeStatement,
} from '../shared/sync/messages';
import { serviceStatementMessage } from '../shared/sync/protocol';

const signature = (key: SigningKey, statement: { readonly purpose: string }): string =>
  signBytes(key, Buffer.from(serviceStatementMessage(statement), 'utf8')).toString('base64');

/** The service's time `at`, signed, with the caller's nonce when it sent one. */
export function signServiceTime(key: SigningKey, at: number, nonce: string | undefined): SignedServiceTime {
  const statement: ServiceTimeStatement = { purpose: 'service-time', at, ...(nonce !== undefined ? { nonce } : {}) };
  return { statement, signature: signature(key, statement) };
}

/** A signed-in identity, signed. */
export function signIdentity(key: SigningKey, identity: Omit<IdentityStatement, 'purpose'>): SignedIdentity {
  const statement: IdentityStatement = { purpose: 'identity', ...identity };
  return { statement, signature: signature(key, statement) };
}

/** The raw public key, base64, as answers carry it. */
export const signingPublicKeyText = (key: SigningKey): string => rawSigningPublicKey(key.publicKey).toString('base64');
