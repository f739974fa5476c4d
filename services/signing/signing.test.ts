import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir, TEST_PASSPHRASE, testProtector } from '../batches/test-batches';
import { generateEd25519, verifyEd25519 } from './ed25519';
import { Keystore } from './keystore';
import { passphraseProtector, WrongSecretError } from './protect-secret';
import { formatStatement, parseStatement } from './statement';
import { TrustStore } from './trust-store';

const cheap = { N: 2 ** 10, r: 8, p: 1 };

describe('per-user keys', () => {
  it('keeps the private key encrypted at rest and signs only when unlocked with the passphrase', async () => {
    const keystore = new Keystore(await scratchDir('keys'));
    const key = await keystore.create({ userId: 'arta.krasniqi', displayName: 'Arta Krasniqi', role: 'clerk' }, testProtector());
    const onDisk = await readFile(path.join(keystore.dir, `${key.keyId}.json`), 'utf8');
    expect(onDisk).not.toContain('PRIVATE KEY');
    expect(JSON.parse(onDisk)).toMatchObject({ privateKey: { protector: 'passphrase', kdf: { name: 'scrypt' } } });

    const signer = await keystore.unlock(key.keyId, testProtector());
    const message = Buffer.from('tagmanifest');
    expect(verifyEd25519(key.publicKeyPem, message, signer.sign(message))).toBe(true);
    await expect(keystore.unlock(key.keyId, passphraseProtector('not the passphrase', cheap))).rejects.toThrow(WrongSecretError);
    expect(await keystore.list()).toEqual([expect.objectContaining({ keyId: key.keyId, role: 'clerk' })]);
  });

  it('refuses short passphrases', () => {
    expect(() => passphraseProtector('short')).toThrow(/at least 8/);
    expect(TEST_PASSPHRASE.length).toBeGreaterThanOrEqual(8);
  });
});

describe('trust store', () => {
  it('rotates a key: signatures before the rotation stay valid, later ones are refused', async () => {
    const store = await TrustStore.open(path.join(await scratchDir('trust'), 'trust.json'));
    const old = generateEd25519();
    store.add({ publicKeyPem: old.publicKeyPem, userId: 'u', displayName: 'U', roles: ['clerk'] });
    const replacement = generateEd25519();
    store.rotate(old.keyId, { publicKeyPem: replacement.publicKeyPem }, new Date('2026-06-01T00:00:00Z'));
    expect(store.judge(old.keyId, undefined, 'clerk', '2026-05-01T00:00:00.000Z').status).toBe('trusted');
    expect(store.judge(old.keyId, undefined, 'clerk', '2026-07-01T00:00:00.000Z').status).toBe('retired');
    expect(store.judge(replacement.keyId, undefined, 'clerk', '2026-07-01T00:00:00.000Z').status).toBe('trusted');
    expect(store.judge(replacement.keyId, undefined, 'supervisor', '2026-07-01T00:00:00.000Z').status).toBe('wrong-role');

    await store.save();
    const reopened = await TrustStore.open(store.file ?? '');
    expect(reopened.get(old.keyId)).toMatchObject({ replacedBy: replacement.keyId });
  });

  it('revokes a key for good', () => {
    const store = TrustStore.empty();
    const key = generateEd25519();
    store.add({ publicKeyPem: key.publicKeyPem, userId: 'u', displayName: 'U', roles: ['clerk'] });
    store.revoke(key.keyId, 'compromised');
    expect(store.judge(key.keyId, undefined, 'clerk', '2020-01-01T00:00:00.000Z')).toMatchObject({ status: 'revoked' });
    expect(() => store.add({ publicKeyPem: key.publicKeyPem, userId: 'u', displayName: 'U', roles: ['clerk'] })).toThrow(/revoked/);
    expect(store.judge(generateEd25519().keyId, undefined, 'clerk', '2020-01-01T00:00:00.000Z').status).toBe('unknown');
  });
});

describe('signature statements', () => {
  it('round-trip and refuse anything but the exact format', () => {
    const statement = {
      'Arkiva-Signature': '1' as const,
      Intent: 'sealed by clerk' as const,
      Role: 'clerk' as const,
      Signer: 'Arta Krasniqi',
      'Signer-Id': 'arta.krasniqi',
      'Key-Id': 'a'.repeat(64),
      'Signed-At': '2026-11-22T09:00:00.000Z',
      'Batch-Id': 'b',
      Tagmanifest: 'tagmanifest-sha256.txt' as const,
      'Tagmanifest-SHA256': 'c'.repeat(64),
    };
    const text = formatStatement(statement);
    expect(parseStatement(text)).toEqual(statement);
    expect(() => parseStatement(`${text}Extra: field\n`)).toThrow();
    expect(() => parseStatement(`${text}Signer: again\n`)).toThrow(/twice/);
  });
});
