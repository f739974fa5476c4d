import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../batches/test-batches';
import { certificateKeyId, privateKeyFromPem, signCmsDetached, verifyCmsDetached } from './cms';
import { makeTestPki, type TestPki } from './test-pki';

/** `openssl cms` is the oracle: it must accept what we sign, and we must accept what it signs. */
function opensslVerifies(dir: string, content: string, signature: string, caFile: string): boolean {
  const result = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', signature, '-content', content, '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null'], { cwd: dir });
  return result.status === 0;
}

describe('CMS (CAdES-BES) detached signatures', () => {
  let pki: TestPki;
  let dir = '';
  const statement = Buffer.from('Arkiva-Signature: 1\nIntent: sealed by clerk\n');

  beforeAll(async () => {
    dir = await scratchDir('cms');
    pki = makeTestPki(dir);
  });

  it.each([['ECDSA P-256', false], ['RSA 2048', true]])('signs with an %s certificate so that openssl cms -verify accepts it', async (_, rsa) => {
    const clerk = pki.issue(rsa ? 'clerk-rsa' : 'clerk-ec', { rsa });
    const der = await signCmsDetached(statement, { certificatePem: clerk.certificatePem, privateKey: privateKeyFromPem(clerk.privateKeyPem) });
    writeFileSync(path.join(dir, 'statement.txt'), statement);
    writeFileSync(path.join(dir, 'statement.p7s'), der);
    expect(opensslVerifies(dir, 'statement.txt', 'statement.p7s', pki.caFile)).toBe(true);
    const printed = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', 'statement.p7s'], { cwd: dir, encoding: 'utf8' });
    expect(printed).toContain('id-smime-aa-signingCertificateV2');
    expect(printed).toContain('signingTime');

    const ours = await verifyCmsDetached(statement, der, [pki.caPem]);
    expect(ours).toMatchObject({ ok: true, keyId: certificateKeyId(clerk.certificatePem), subject: expect.stringContaining(rsa ? 'CN=clerk-rsa' : 'CN=clerk-ec') });
  });

  it('verifies what openssl cms -sign produces (with the CAdES signing-certificate-v2 attribute)', async () => {
    const supervisor = pki.issue('supervisor-ec');
    writeFileSync(path.join(dir, 'by-openssl.txt'), statement);
    execFileSync('openssl', ['cms', '-sign', '-binary', '-md', 'sha256', '-cades', '-in', 'by-openssl.txt', '-signer', supervisor.certFile, '-inkey', supervisor.keyFile, '-outform', 'DER', '-out', 'by-openssl.p7s'], { cwd: dir });
    const result = await verifyCmsDetached(statement, readFileSync(path.join(dir, 'by-openssl.p7s')), [pki.caPem]);
    expect(result).toMatchObject({ ok: true, keyId: certificateKeyId(supervisor.certificatePem) });
  });

  it('refuses altered content, an untrusted issuer, and a key that does not match the certificate', async () => {
    const clerk = pki.issue('clerk-2');
    const der = await signCmsDetached(statement, { certificatePem: clerk.certificatePem, privateKey: privateKeyFromPem(clerk.privateKeyPem) });
    const altered = await verifyCmsDetached(Buffer.from('Arkiva-Signature: 1\nIntent: verified by supervisor\n'), der, [pki.caPem]);
    expect(altered).toMatchObject({ ok: false });
    writeFileSync(path.join(dir, 'altered.txt'), 'something else');
    writeFileSync(path.join(dir, 'clerk-2.p7s'), der);
    expect(opensslVerifies(dir, 'altered.txt', 'clerk-2.p7s', pki.caFile)).toBe(false);

    const untrusted = await verifyCmsDetached(statement, der, [pki.otherCaPem]);
    expect(untrusted).toMatchObject({ ok: false, reason: expect.stringContaining('does not chain to a trusted certificate') });

    const other = pki.issue('someone-else');
    await expect(signCmsDetached(statement, { certificatePem: clerk.certificatePem, privateKey: privateKeyFromPem(other.privateKeyPem) })).rejects.toThrow(/does not belong/);
  });

  it('accepts a certificate the trust store lists by itself, without its CA', async () => {
    const clerk = pki.issue('clerk-3');
    const der = await signCmsDetached(statement, { certificatePem: clerk.certificatePem, privateKey: privateKeyFromPem(clerk.privateKeyPem), chainPems: [pki.caPem] });
    expect(await verifyCmsDetached(statement, der, [clerk.certificatePem])).toMatchObject({ ok: true, keyId: certificateKeyId(clerk.certificatePem) });
  });
});
