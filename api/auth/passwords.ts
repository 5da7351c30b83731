// Password hashing with scrypt (node:crypto); the stored form carries its parameters.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );

const PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

let verifications = 0;
/** How many scrypt verifications this process has run: lets tests see that every login attempt costs the
 * same work (an unknown email is checked against a dummy hash) without measuring time. */
export const passwordVerifications = () => verifications;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  verifications++;
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return timingSafeEqual(expected, actual);
}

let dummyHash: Promise<string> | undefined;
/**
 * A login check that costs the same whoever asks: an unknown email, a disabled account or one without a
 * local password (single sign-on users) is verified against a dummy hash, so the answer's timing does
 * not tell which emails have accounts.
 */
export async function checkPassword(password: string, stored: string | undefined): Promise<boolean> {
  if (stored?.startsWith('scrypt$')) return verifyPassword(password, stored);
  await verifyPassword(password, await (dummyHash ??= hashPassword(randomBytes(16).toString('base64'))));
  return false;
}
