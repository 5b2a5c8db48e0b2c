/**
 * Credentials of the reference service: scrypt password hashes, TOTP second factor (RFC 6238
 * through `otpauth`, with each code usable once), and opaque bearer tokens stored only as
 * their SHA-256.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const options = (n: number, r: number, p: number): ScryptOptions => ({ N: n, r, p, maxmem: 256 * n * r });

/** `scrypt$N$r$p$salt$hash`, base64 parts. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLength, options(SCRYPT.N, SCRYPT.r, SCRYPT.p));
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Constant-time comparison against a stored hash; a malformed hash never verifies. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) {
    return false;
  }
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(
    password,
    Buffer.from(salt, 'base64'),
    expected.length,
    options(Number(n), Number(r), Number(p)),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export const TOTP_PERIOD_S = 30;

const totpFor = (secret: string, account: string): TOTP =>
  new TOTP({
    issuer: 'Earmark',
    label: account,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_S,
    secret: Secret.fromBase32(secret),
  });

/** A fresh random TOTP secret, base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The code an authenticator app shows at `now`. */
export function totpCode(secret: string, now: number): string {
  return totpFor(secret, 'x').generate({ timestamp: now });
}

/** The otpauth:// URI to enrol an authenticator app. */
export function totpUri(secret: string, account: string): string {
  return totpFor(secret, account).toString();
}

/**
 * The time-step counter a code belongs to (one step of clock drift either way is allowed), or
 * null when it matches none. The caller refuses a counter not above the last one used.
 */
export function totpCounter(secret: string, code: string, now: number): number | null {
  const delta = totpFor(secret, 'x').validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD_S) + delta;
}

/** A new bearer token (256 random bits) and the hash the service keeps of it. */
export function newToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: tokenHash(token) };
}

export const tokenHash = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/**
 * A one-time enrolment code: `bytes` random bytes as RFC 4648 base32 (80 bits make 16
 * characters), in groups of four to read out and type, and the hash the service keeps. Its
 * entropy is high enough that a fast hash is safe to store; attempts are rate-limited as well.
 */
export function newEnrolmentCode(bytes: number): { code: string; hash: Buffer } {
  const raw = new Secret({ buffer: Uint8Array.from(randomBytes(bytes)).buffer }).base32;
  const code = raw.match(/.{1,4}/g)?.join('-') ?? raw;
  return { code, hash: enrolmentCodeHash(code) };
}

/** The stored form of an enrolment code: SHA-256 of its characters, dashes, spaces and case ignored. */
export const enrolmentCodeHash = (code: string): Buffer =>
  createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase(), 'utf8').digest();
