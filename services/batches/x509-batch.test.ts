import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateKeyId, privateKeyFromPem, signCmsDetached } from '../signing/cms';
import type { Signer } from '../signing/keystore';
import { makeTestPki, type TestPki } from '../signing/test-pki';
import { TrustStore } from '../signing/trust-store';
import { scratchDir, testProtector, testWorkstation } from './test-batches';
import { verifyBatch } from './verify-batch';

/** Where the institution issues X.509 certificates, signatures are CMS (CAdES-BES) instead of raw Ed25519. */
describe('batches signed with institution certificates', () => {
  let pki: TestPki;
  let ws: Awaited<ReturnType<typeof testWorkstation>>;
  let certClerk: Signer;
  let certSupervisor: Signer;
  let bag = '';

  beforeAll(async () => {
    pki = makeTestPki(await scratchDir('pki'));
    ws = await testWorkstation(2);
    ws.trust.addAuthority({ certificatePem: pki.caPem, displayName: 'Test Institution CA', roles: ['clerk', 'supervisor'] });
    const clerk = pki.issue('Arta Krasniqi');
    const supervisor = pki.issue('Milan Petrovic', { rsa: true });
    const clerkKey = await ws.keystore.importCertificate({ userId: 'arta.cert', displayName: 'Arta Krasniqi', role: 'clerk' }, clerk, testProtector());
    const supervisorKey = await ws.keystore.importCertificate({ userId: 'milan.cert', displayName: 'Milan Petrović', role: 'supervisor' }, supervisor, testProtector());
    certClerk = await ws.keystore.unlock(clerkKey.keyId, testProtector());
    certSupervisor = await ws.keystore.unlock(supervisorKey.keyId, testProtector());
    expect(clerkKey.keyId).toBe(certificateKeyId(clerk.certificatePem));

    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.cert', expectedPages: 2, pageIds: ws.pages.map((page) => page.id) });
    await ws.service.seal(batch.id, certClerk);
    await ws.service.countersign(batch.id, certSupervisor);
    bag = ws.store.bagDir(batch.id, 1);
  });

  async function copy(change: (copy: string) => Promise<void> = async () => {}): Promise<string> {
    const target = path.join(await scratchDir('x509-bag'), 'seal-1');
    await cp(bag, target, { recursive: true });
    await change(target);
    return target;
  }

  it('seals and countersigns with CMS signatures that verify against the institution CA', async () => {
    const report = await verifyBatch(bag, ws.trust, { requireCountersignature: true });
    expect(report.errors).toEqual([]);
    expect(report.signatures).toEqual([
      expect.objectContaining({ file: 'signatures/01-sealed-by-clerk.p7s', valid: true, signer: 'Arta Krasniqi', intent: 'sealed by clerk' }),
      expect.objectContaining({ file: 'signatures/02-verified-by-supervisor.p7s', valid: true, signer: 'Milan Petrović', intent: 'verified by supervisor' }),
    ]);
  });

  it('refuses a certificate from a CA the trust store does not know', async () => {
    const stranger = pki.issue('Stranger', { ca: 'other' });
    const target = await copy(async (dir) => {
      const statement = await readFile(path.join(dir, 'signatures/01-sealed-by-clerk.txt'), 'utf8');
      const forged = statement.replace(/^Key-Id: .*$/m, `Key-Id: ${certificateKeyId(stranger.certificatePem)}`);
      await writeFile(path.join(dir, 'signatures/01-sealed-by-clerk.txt'), forged);
      await writeFile(path.join(dir, 'signatures/01-sealed-by-clerk.p7s'), await signCmsDetached(Buffer.from(forged), { certificatePem: stranger.certificatePem, privateKey: privateKeyFromPem(stranger.privateKeyPem) }));
    });
    const report = await verifyBatch(target, ws.trust);
    expect(report.errors).toContainEqual(expect.objectContaining({ code: 'unknown-key', path: 'signatures/01-sealed-by-clerk.p7s', message: expect.stringContaining('CN=Stranger') }));
  });

  it('refuses a revoked certificate, though its CA is trusted', async () => {
    const revoked = await TrustStore.open(path.join(await scratchDir('trust'), 'trust.json'));
    revoked.addAuthority({ certificatePem: pki.caPem, displayName: 'Test Institution CA', roles: ['clerk', 'supervisor'] });
    revoked.revoke(certClerk.keyId, 'smart card lost');
    const report = await verifyBatch(bag, revoked);
    expect(report.errors).toContainEqual(expect.objectContaining({ code: 'revoked-key', path: 'signatures/01-sealed-by-clerk.p7s', message: expect.stringContaining('smart card lost') }));
  });

  it('refuses a replaced CMS signature and an edited statement', async () => {
    const replaced = await copy(async (dir) => {
      const other = await readFile(path.join(dir, 'signatures/02-verified-by-supervisor.p7s'));
      await writeFile(path.join(dir, 'signatures/01-sealed-by-clerk.p7s'), other);
    });
    expect((await verifyBatch(replaced, ws.trust)).errors).toContainEqual(expect.objectContaining({ code: 'bad-signature', path: 'signatures/01-sealed-by-clerk.p7s' }));
    const edited = await copy(async (dir) => {
      const file = path.join(dir, 'signatures/01-sealed-by-clerk.txt');
      await writeFile(file, (await readFile(file, 'utf8')).replace('Signer: Arta Krasniqi', 'Signer: Someone Else'));
    });
    expect((await verifyBatch(edited, ws.trust)).errors).toContainEqual(expect.objectContaining({ code: 'bad-signature', message: expect.stringContaining('does not match the signed content') }));
  });
});
