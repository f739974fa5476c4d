import { describe, expect, it } from 'vitest';
import { osKeychainProtector, workstationKeychainProtector } from './os-keychain-protector';
import { fakeKeychain } from './test-keychain';
import { WrongSecretError } from './protect-secret';
import { Keystore } from './keystore';
import { scratchDir } from '../batches/test-batches';
import { verifyEd25519 } from './ed25519';

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

  it("refuses Linux's basic_text backend (a hard-coded password) and an unknown one, but takes a real keyring", () => {
    const onLinux = (backend: string) => workstationKeychainProtector({ ...fakeKeychain(), getSelectedStorageBackend: () => backend }, 'linux');
    expect(onLinux('basic_text')).toEqual({ refused: expect.stringContaining('"basic_text" backend (no GNOME keyring or KWallet), whose password is hard-coded') });
    expect(onLinux('unknown')).toEqual({ refused: expect.stringContaining('"unknown" backend') });
    expect(onLinux('gnome_libsecret')).toEqual({ protector: expect.objectContaining({ kind: 'os-keychain' }) });
    expect(onLinux('kwallet6')).toEqual({ protector: expect.objectContaining({ kind: 'os-keychain' }) });
    // Keychain (macOS) and DPAPI (Windows) have no such backend to ask about.
    expect(workstationKeychainProtector(fakeKeychain(), 'darwin')).toEqual({ protector: expect.objectContaining({ kind: 'os-keychain' }) });
    expect(workstationKeychainProtector({ ...fakeKeychain(), isEncryptionAvailable: () => false }, 'win32')).toEqual({ refused: 'the OS keychain is not available' });
  });
});
