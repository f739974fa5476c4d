import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir, testProtector } from '../batches/test-batches';
import { verifyEd25519 } from './ed25519';
import { Keystore } from './keystore';
import { osKeychainProtector } from './os-keychain-protector';
import { passphraseProtector, WrongSecretError, type SecretProtector } from './protect-secret';
import { fakeKeychain } from './test-keychain';
import { openWorkstationKey } from './workstation-key';

const quiet = { log: () => undefined };

async function keyFile(keystore: Keystore, keyId: string) {
  return JSON.parse(await readFile(path.join(keystore.dir, `${keyId}.json`), 'utf8')) as { privateKey: { protector: string } };
}

describe('the workstation key across protectors', () => {
  it('re-seals a key made under the passphrase fallback when the OS keychain appears, keeping the same key', async () => {
    const keystore = new Keystore(await scratchDir('ws-key'));
    const first = await openWorkstationKey(keystore, 'ws-1', { current: testProtector(), ...quiet });
    const keychain = osKeychainProtector(fakeKeychain());
    const lines: string[] = [];
    const second = await openWorkstationKey(keystore, 'ws-1', { current: keychain, others: async () => [testProtector()], log: (line) => lines.push(line) });
    expect(second.signer.keyId).toBe(first.signer.keyId);
    expect(second.replaces).toBeUndefined();
    expect((await keyFile(keystore, first.signer.keyId)).privateKey.protector).toBe('os-keychain');
    expect(lines).toEqual([expect.stringMatching(/was protected by passphrase; it is now protected by os-keychain\.$/)]);
    const message = Buffer.from('audit entry');
    expect(verifyEd25519(first.signer.publicKeyPem, message, second.signer.sign(message))).toBe(true);
    // The passphrase no longer opens it, the keychain does; and no temporary file is left behind.
    await expect(keystore.unlock(first.signer.keyId, testProtector())).rejects.toThrow(WrongSecretError);
    expect((await openWorkstationKey(keystore, 'ws-1', { current: keychain, ...quiet })).signer.keyId).toBe(first.signer.keyId);
    expect(await readdir(keystore.dir)).toEqual([`${first.signer.keyId}.json`]);
  });

  it('leaves the key file untouched when re-sealing fails', async () => {
    const keystore = new Keystore(await scratchDir('ws-key-fail'));
    const first = await openWorkstationKey(keystore, 'ws-1', { current: testProtector(), ...quiet });
    const before = await readFile(path.join(keystore.dir, `${first.signer.keyId}.json`), 'utf8');
    const broken: SecretProtector = {
      kind: 'os-keychain',
      protect: () => Promise.reject(new Error('the keyring is locked')),
      unprotect: () => Promise.reject(new WrongSecretError('locked')),
    };
    await expect(openWorkstationKey(keystore, 'ws-1', { current: broken, others: async () => [testProtector()], ...quiet })).rejects.toThrow('the keyring is locked');
    expect(await readFile(path.join(keystore.dir, `${first.signer.keyId}.json`), 'utf8')).toBe(before);
  });

  it('replaces a key sealed by a keychain that is gone with a new one, naming the old', async () => {
    const keystore = new Keystore(await scratchDir('ws-key-gone'));
    const first = await openWorkstationKey(keystore, 'ws-1', { current: osKeychainProtector(fakeKeychain()), ...quiet });
    const second = await openWorkstationKey(keystore, 'ws-1', { current: testProtector(), others: async () => [], ...quiet });
    expect(second.replaces).toBe(first.signer.keyId);
    expect(second.signer.keyId).not.toBe(first.signer.keyId);
    // From now on the newest key is the one opened.
    expect((await openWorkstationKey(keystore, 'ws-1', { current: testProtector(), ...quiet })).signer.keyId).toBe(second.signer.keyId);
  });

  it('still refuses a wrong secret of the same kind', async () => {
    const keystore = new Keystore(await scratchDir('ws-key-wrong'));
    await openWorkstationKey(keystore, 'ws-1', { current: testProtector(), ...quiet });
    await expect(openWorkstationKey(keystore, 'ws-1', { current: passphraseProtector('another passphrase', { N: 2 ** 10, r: 8, p: 1 }), ...quiet })).rejects.toThrow(WrongSecretError);
  });
});
