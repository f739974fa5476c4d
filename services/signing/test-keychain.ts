import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { OsKeychain } from './os-keychain-protector';

/** Test helper: a stand-in for Electron's safeStorage, a machine secret the OS would hold. */
export function fakeKeychain(machineKey = randomBytes(32)): OsKeychain {
  return {
    isEncryptionAvailable: () => true,
    encryptString(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', machineKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', machineKey, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
