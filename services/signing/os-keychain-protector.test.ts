import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { osKeychainProtector, type OsKeychain } from './os-keychain-protector';
import { WrongSecretError } from './protect-secret';
import { Keystore } from './keystore';
import { scratchDir } from '../batches/test-batches';
import { verifyEd25519 } from './ed25519';

/** A stand-in for Electron's safeStorage: a machine secret the OS would hold. */
function fakeKeychain(machineKey = randomBytes(32)): OsKeychain {
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

describe('OS keychain protector (the seam for Electron safeStorage)', () => {
  it('round-trips a secret bound to its key id', async () => {
    const protector = osKeychainProtector(fakeKeychain());
    const sealed = await protector.protect(Buffer.from('private key bytes'), 'arkiva-private-key:abc');
    expect(sealed.ciphertext).not.toContain('private');
    expect((await protector.unprotect(sealed, 'arkiva-private-key:abc')).toString()).toBe('private key bytes');
    await expect(protector.unprotect(sealed, 'arkiva-private-key:other')).rejects.toThrow(WrongSecretError);
  });

  it('cannot open a key sealed on another machine, and refuses when no keychain exists', async () => {
    const sealed = await osKeychainProtector(fakeKeychain()).protect(Buffer.from('x'), 'c');
    await expect(osKeychainProtector(fakeKeychain()).unprotect(sealed, 'c')).rejects.toThrow(/another machine/);
    expect(() => osKeychainProtector({ ...fakeKeychain(), isEncryptionAvailable: () => false })).toThrow(/not available/);
  });

  it('keeps a workstation key in the keystore that unlocks without a passphrase', async () => {
    const keychain = fakeKeychain();
    const keystore = new Keystore(await scratchDir('keychain'));
    const key = await keystore.create({ userId: 'ws-1', displayName: 'workstation ws-1', role: 'workstation' }, osKeychainProtector(keychain));
    const signer = await keystore.unlock(key.keyId, osKeychainProtector(keychain));
    expect(verifyEd25519(key.publicKeyPem, Buffer.from('entry'), signer.sign(Buffer.from('entry')))).toBe(true);
  });
});
