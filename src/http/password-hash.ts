/**
 * The password-hash format web.auth.password-file holds: `scrypt$N$r$p$saltB64$hashB64`. Shared
 * by the Basic check (src/http/auth.ts) and `edgewatch hash-password`, so both read and write
 * one format.
 */
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** 2^14, 8, 1: the parameters RFC 7914 suggests for interactive logins; 16 MiB per verification. */
const defaultParams: ScryptParams = { N: 2 ** 14, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

export interface PasswordHash extends ScryptParams {
  salt: Buffer;
  hash: Buffer;
}

function scryptOptions(params: ScryptParams): ScryptOptions {
  return { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
}

/** `scrypt$N$r$p$saltB64$hashB64`, the format loadAuth reads from the password file. */
export function hashPassword(plain: string, params: ScryptParams = defaultParams): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return new Promise((resolve, reject) =>
    scrypt(plain, salt, KEY_BYTES, scryptOptions(params), (err, hash) => {
      if (err) reject(err);
      else
        resolve(
          `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${hash.toString('base64')}`,
        );
    }),
  );
}

/** Whether `plain` matches a hash made by hashPassword. False for a malformed hash. */
export async function verifyPassword(plain: string, encoded: string): Promise<boolean> {
  const parsed = parsePasswordHash(encoded);
  return parsed !== undefined && (await checkPassword(plain, parsed));
}

/**
 * scrypt on libuv's thread pool, not the event loop: ~40 ms here, ~150 ms on a Pi, during which
 * sensors and scrapes are served on.
 */
export function checkPassword(plain: string, stored: PasswordHash): Promise<boolean> {
  return new Promise((resolve, reject) =>
    scrypt(plain, stored.salt, stored.hash.length, scryptOptions(stored), (err, derived) => {
      if (err) reject(err);
      else resolve(timingSafeEqual(derived, stored.hash));
    }),
  );
}

/**
 * Accepts only well-formed hashes with parameters a 500 MB box can afford: N a power of two up
 * to 2^16 and scrypt's 128·N·r bytes at most 64 MiB.
 */
export function parsePasswordHash(text: string): PasswordHash | undefined {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/]+=*)\$([A-Za-z0-9+/]+=*)$/.exec(text.trim());
  if (!m) return undefined;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const salt = Buffer.from(m[4] as string, 'base64');
  const hash = Buffer.from(m[5] as string, 'base64');
  const powerOfTwo = N >= 2 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > 2 ** 16 || r < 1 || r > 32 || p < 1 || p > 16 || 128 * N * r > 64 * 1024 ** 2) {
    return undefined;
  }
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { N, r, p, salt, hash };
}
