import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

const KEY_LENGTH = 32;

/** scrypt with OWASP's parameters (N=2^17, r=8, p=1); the hash string records them. */
export async function hashPassword(password: string, cost = 2 ** 17): Promise<string> {
  const salt = crypto.randomBytes(16);
  const r = 8;
  const p = 1;
  const key = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: cost, r, p, maxmem: 256 * 1024 * 1024 });
  return ['scrypt', cost, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  // Unknown users still pay for one hash, so timing does not reveal whether an e-mail exists.
  const parts = (stored ?? DUMMY_HASH).split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, keyB64] = parts;
  const expected = Buffer.from(keyB64, 'base64');
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(saltB64, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 256 * 1024 * 1024,
  });
  return stored != null && crypto.timingSafeEqual(actual, expected);
}

// A hash of a random password, computed with cheap parameters at load time.
const DUMMY_HASH = `scrypt$${2 ** 14}$8$1$${crypto.randomBytes(16).toString('base64')}$${crypto.randomBytes(32).toString('base64')}`;
