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

export async function verifyPassword(password: string, stored: string | null | undefined, cost = 2 ** 17): Promise<boolean> {
  // Unknown users still pay for one hash at the real cost, so timing does not reveal
  // whether an e-mail has an account.
  const parts = (stored ?? dummyHash(cost)).split('$');
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

// Random salt and key: no password matches it, but checking costs as much as a real one.
function dummyHash(cost: number): string {
  return `scrypt$${cost}$8$1$${crypto.randomBytes(16).toString('base64')}$${crypto.randomBytes(32).toString('base64')}`;
}
