import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as every authenticator app
 * makes them: HMAC-SHA-1, 30-second steps, 6 digits. A code is accepted for the step before and
 * the step after as well as the current one (a phone's clock drifts, and people type slowly),
 * and never for a step at or before the last one accepted, so an overheard code cannot be used
 * again.
 */

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that are still accepted. */
export const TOTP_WINDOW = 1;
/** RFC 4226 recommends 160 bits, the length of SHA-1's output. */
export const SECRET_BYTES = 20;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding: what authenticator apps take. */
export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32.charAt((value >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32.charAt((value << (5 - bits)) & 31);
  return out;
}

/** Base32 as people copy it: any case, spaces and padding ignored. Null when not base32. */
export function base32Decode(text: string): Buffer | null {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) return null;
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP: the code for one counter value. */
export function hotp(secret: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The 30-second step an instant falls in. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for an instant (RFC 6238). */
export function totp(secret: Uint8Array, at: Date, digits = TOTP_DIGITS): string {
  return hotp(secret, totpStep(at), digits);
}

/** A code as people type it: spaces and dashes ignored. Null when it is not six digits. */
export function normaliseCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, '');
  return new RegExp(`^\\d{${String(TOTP_DIGITS)}}$`).test(code) ? code : null;
}

/**
 * The step a code matches, within the window around `at` and after `lastStep` (the step of the
 * last code accepted, or null), or null when it matches none.
 */
export function verifyTotp(
  secret: Uint8Array,
  typed: string,
  at: Date,
  lastStep: number | null,
): number | null {
  const code = normaliseCode(typed);
  if (code === null) return null;
  const now = totpStep(at);
  let matched: number | null = null;
  // Every step in the window is compared, so the time taken does not say which one matched.
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
    const same = timingSafeEqual(Buffer.from(hotp(secret, step)), Buffer.from(code));
    if (same && (lastStep === null || step > lastStep) && matched === null) matched = step;
  }
  return matched;
}

/** A new random secret. */
export function newTotpSecret(): Buffer {
  return randomBytes(SECRET_BYTES);
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function otpauthUri(secret: Uint8Array, account: string, issuer: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const query = new URLSearchParams({
    secret: base32Encode(secret),
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}

/** The base32 secret in groups of four, easier to type into an app by hand. */
export function groupedSecret(secret: Uint8Array): string {
  return (base32Encode(secret).match(/.{1,4}/g) ?? []).join(' ');
}

// Secrets at rest ----------------------------------------------------------------------------

/**
 * The key that seals two-factor secrets in the database: AES-256-GCM with a key derived by HKDF
 * (SHA-256) from the configuration's cookie secret, so that a copy of the database alone gives
 * no one the codes. Changing the cookie secret makes the sealed secrets unreadable: everyone
 * then sets two-factor up again (docs/accounts.md).
 */
export interface SecretKey {
  readonly key: Buffer;
  /** The demo's published secret is stored unsealed and marked; accepted only in a demo. */
  readonly demo: boolean;
}

export function secretKeyFrom(cookieSecret: string, demo: boolean): SecretKey {
  const key = Buffer.from(
    hkdfSync('sha256', cookieSecret, 'oversight', 'two-factor secrets v1', 32),
  );
  return { key, demo };
}

const SEALED = 'v1.';
/** The prefix of the demo administrator's published secret (made-up demo data). */
export const DEMO_SECRET_PREFIX = 'demo.';

/** `v1.` + base64url(12-byte nonce ‖ 16-byte tag ‖ ciphertext). */
export function sealSecret(secret: Uint8Array, key: SecretKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return SEALED + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The secret, or null when it cannot be opened (another key, tampered with, or demo-only). */
export function openSecret(stored: string, key: SecretKey): Buffer | null {
  if (stored.startsWith(DEMO_SECRET_PREFIX))
    return key.demo ? base32Decode(stored.slice(DEMO_SECRET_PREFIX.length)) : null;
  if (!stored.startsWith(SEALED)) return null;
  const raw = Buffer.from(stored.slice(SEALED.length), 'base64url');
  if (raw.length < 28) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  } catch {
    return null;
  }
}
