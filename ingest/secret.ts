// Mailbox passwords saved on the admin page are stored encrypted (AES-256-GCM) with a key derived from
// INGEST_SECRET_KEY, which lives only in the environment of the web app and the worker. The stored form
// is `v1:<iv>:<tag>:<ciphertext>` (base64url); a wrong key or an edited value fails to decrypt.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

export function createSecretBox(secretKey: string | undefined): SecretBox | undefined {
  if (!secretKey) return undefined;
  const key = Buffer.from(hkdfSync('sha256', secretKey, 'plexsync', 'ingest mailbox password v1', 32));
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join(':');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== 'v1' || !iv || !tag || body === undefined)
        throw new SecretKeyError('The stored password is not in a known format.');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretKeyError(
          'The stored password cannot be decrypted: INGEST_SECRET_KEY differs from the key it was saved with.',
        );
      }
    },
  };
}
