import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

/**
 * How private keys are kept at rest. The services encrypt with a key derived from the user's
 * passphrase (scrypt, then AES-256-GCM); the Electron shell can supply a protector backed by
 * the OS keychain (safeStorage) through the same interface, since only the shell may import
 * electron.
 */
export interface SecretProtector {
  readonly kind: string;
  protect(secret: Uint8Array, context: string): Promise<ProtectedSecret>;
  /** Throws WrongSecretError when the passphrase (or keychain) cannot open it. */
  unprotect(sealed: ProtectedSecret, context: string): Promise<Buffer>;
}

export const protectedSecretSchema = z.object({
  format: z.literal('arkiva-protected-secret-v1'),
  protector: z.string(),
  kdf: z.object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.base64() }).optional(),
  iv: z.base64(),
  tag: z.base64(),
  ciphertext: z.base64(),
});
export type ProtectedSecret = z.infer<typeof protectedSecretSchema>;

export class WrongSecretError extends Error {
  override readonly name = 'WrongSecretError';
}

/** scrypt cost: N=2^17 takes ~0.3 s and 128 MiB, OWASP's recommendation for interactive logins. */
export const DEFAULT_SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;

export function passphraseProtector(passphrase: string, cost: { N: number; r: number; p: number } = DEFAULT_SCRYPT): SecretProtector {
  if (passphrase.length < 8) throw new Error('A passphrase must have at least 8 characters.');
  return {
    kind: 'passphrase',
    async protect(secret, context) {
      const salt = randomBytes(16);
      const key = await deriveKey(passphrase, salt, cost);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context));
      const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
      return {
        format: 'arkiva-protected-secret-v1',
        protector: 'passphrase',
        kdf: { name: 'scrypt', ...cost, salt: salt.toString('base64') },
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        ciphertext: ciphertext.toString('base64'),
      };
    },
    async unprotect(sealed, context) {
      if (sealed.protector !== 'passphrase' || !sealed.kdf) throw new WrongSecretError(`This key is protected by ${sealed.protector}, not a passphrase.`);
      const key = await deriveKey(passphrase, Buffer.from(sealed.kdf.salt, 'base64'), sealed.kdf);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      try {
        return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
      } catch {
        throw new WrongSecretError('Wrong passphrase (or the key file was altered).');
      }
    },
  };
}

function deriveKey(passphrase: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(passphrase.normalize('NFC'), salt, 32, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
