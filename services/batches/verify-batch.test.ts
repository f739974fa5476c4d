import { cp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BatchVerification } from '../../common/api/contract';
import { sha256Hex } from '../bagit/hash-files';
import { generateEd25519, signEd25519 } from '../signing/ed25519';
import { TrustStore } from '../signing/trust-store';
import { scratchDir, testWorkstation } from './test-batches';
import { verifyBatch } from './verify-batch';

/**
 * Tampering with a sealed batch, one way at a time, on a fresh copy of the same sealed bag: each
 * is caught, with a message naming what changed and where.
 */
describe('verifying a sealed batch detects tampering', () => {
  let sealedBag = '';
  let trust: TrustStore;
  let clerkKeyId = '';

  beforeAll(async () => {
    const ws = await testWorkstation(2);
    const batch = await ws.service.open({ title: 'Dosja 2001/55', actor: 'arta.krasniqi', expectedPages: 2, pageIds: ws.pages.map((page) => page.id) });
    await ws.service.seal(batch.id, ws.clerk);
    sealedBag = ws.store.bagDir(batch.id, 1);
    trust = ws.trust;
    clerkKeyId = ws.clerk.keyId;
  });

  async function tampered(change: (bag: string) => Promise<void>, trustStore = trust): Promise<BatchVerification> {
    const copy = path.join(await scratchDir('tamper'), 'bag');
    await cp(sealedBag, copy, { recursive: true });
    await change(copy);
    return verifyBatch(copy, trustStore);
  }

  async function flipByte(file: string, offset = 10): Promise<void> {
    const bytes = await readFile(file);
    bytes[offset] = (bytes[offset] ?? 0) ^ 0x01;
    await writeFile(file, bytes);
  }

  /** An attacker who rewrites a manifest also rewrites the tag manifest; only the signature stops them. */
  async function rewriteTagmanifest(bag: string): Promise<void> {
    const names = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'batch.json', 'custody/0001.json', 'custody/0002.json'];
    const lines = await Promise.all(names.map(async (name) => `${sha256Hex(await readFile(path.join(bag, name)))}  ${name}\n`));
    await writeFile(path.join(bag, 'tagmanifest-sha256.txt'), lines.join(''));
  }

  it('accepts the untouched bag', async () => {
    const report = await tampered(async () => {});
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('a byte changed in a page', async () => {
    const report = await tampered((bag) => flipByte(path.join(bag, 'data/pages/0002/original.png')));
    expect(report.ok).toBe(false);
    expect(report.errors).toContainEqual({
      code: 'checksum-mismatch',
      path: 'data/pages/0002/original.png',
      message: expect.stringMatching(/^sha256 is [0-9a-f]{64}, but manifest-sha256.txt says [0-9a-f]{64}: the file changed after the bag was made\.$/),
    });
  });

  it('a byte changed in the payload manifest', async () => {
    const report = await tampered((bag) => flipByte(path.join(bag, 'manifest-sha256.txt'), 3));
    expect(report.errors).toContainEqual(expect.objectContaining({ code: 'tag-checksum-mismatch', path: 'manifest-sha256.txt' }));
  });

  it('a byte changed in tagmanifest-sha256.txt alone: the signature no longer covers it', async () => {
    const report = await tampered(async (bag) => {
      const file = path.join(bag, 'tagmanifest-sha256.txt');
      const bytes = await readFile(file);
      // The first digit of the first checksum, turned into another hex digit.
      bytes[0] = bytes[0] === 0x30 ? 0x31 : 0x30;
      await writeFile(file, bytes);
    });
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([
      { code: 'tag-checksum-mismatch', path: expect.any(String), message: expect.stringMatching(/but tagmanifest-sha256\.txt says [0-9a-f]{64}: the file changed after the bag was made\.$/) },
      {
        code: 'tagmanifest-changed',
        path: 'signatures/01-sealed-by-clerk.sig',
        message: expect.stringMatching(/^sealed by clerk \(arta\.krasniqi \(clerk\)\): signed tag manifest [0-9a-f]{16}…, but the bag's hashes to [0-9a-f]{16}… \(the bag changed after signing\)\.$/),
      },
      { code: 'seal-missing', path: 'signatures', message: 'the batch carries no valid seal by a clerk.' },
    ]);
  });

  it('a byte changed in bag-info.txt', async () => {
    const report = await tampered(async (bag) => {
      const file = path.join(bag, 'bag-info.txt');
      await writeFile(file, (await readFile(file, 'utf8')).replace('Arkiva-Received-Pages: 2', 'Arkiva-Received-Pages: 3'));
    });
    expect(report.errors).toEqual([expect.objectContaining({ code: 'tag-checksum-mismatch', path: 'bag-info.txt' })]);
  });

  it('a file added to the payload, and one beside the tag files', async () => {
    const payload = await tampered((bag) => writeFile(path.join(bag, 'data/pages/0001/note.txt'), 'added later'));
    expect(payload.errors).toContainEqual(expect.objectContaining({ code: 'not-in-manifest', path: 'data/pages/0001/note.txt' }));
    expect(payload.errors).toContainEqual(expect.objectContaining({ code: 'payload-oxum-mismatch', path: 'bag-info.txt' }));
    const tag = await tampered((bag) => writeFile(path.join(bag, 'remarks.txt'), 'added later'));
    expect(tag.errors).toEqual([expect.objectContaining({ code: 'tag-file-not-covered', path: 'remarks.txt' })]);
  });

  it('a file removed', async () => {
    const report = await tampered((bag) => rm(path.join(bag, 'data/pages/0001/ocr.json')));
    expect(report.errors).toContainEqual({ code: 'missing-file', path: 'data/pages/0001/ocr.json', message: 'listed in manifest-sha256.txt but not in the bag.' });
  });

  it('a manifest rewritten together with the tag manifest: the signature no longer covers it', async () => {
    const report = await tampered(async (bag) => {
      await flipByte(path.join(bag, 'data/pages/0001/original.png'));
      const manifest = path.join(bag, 'manifest-sha256.txt');
      const fresh = sha256Hex(await readFile(path.join(bag, 'data/pages/0001/original.png')));
      await writeFile(manifest, (await readFile(manifest, 'utf8')).replace(/^[0-9a-f]{64}(?= {2}data\/pages\/0001\/original\.png$)/m, fresh));
      await rewriteTagmanifest(bag);
    });
    expect(report.errors).toContainEqual(expect.objectContaining({ code: 'tagmanifest-changed', path: 'signatures/01-sealed-by-clerk.sig', message: expect.stringContaining('the bag changed after signing') }));
    expect(report.errors).toContainEqual(expect.objectContaining({ code: 'seal-missing' }));
  });

  it('a signature replaced', async () => {
    const report = await tampered(async (bag) => {
      const stranger = generateEd25519();
      await writeFile(path.join(bag, 'signatures/01-sealed-by-clerk.sig'), signEd25519(stranger.privateKey, await readFile(path.join(bag, 'signatures/01-sealed-by-clerk.txt'))));
    });
    expect(report.errors).toContainEqual({
      code: 'bad-signature',
      path: 'signatures/01-sealed-by-clerk.sig',
      message: 'sealed by clerk (arta.krasniqi (clerk)): the signature does not match its statement under the trusted key (replaced or altered).',
    });
  });

  it('signed by an unknown key', async () => {
    const report = await tampered(async (bag) => {
      const stranger = generateEd25519();
      const statementFile = path.join(bag, 'signatures/01-sealed-by-clerk.txt');
      const statement = (await readFile(statementFile, 'utf8')).replace(clerkKeyId, stranger.keyId);
      await writeFile(statementFile, statement);
      await writeFile(path.join(bag, 'signatures/01-sealed-by-clerk.pub.pem'), stranger.publicKeyPem);
      await writeFile(path.join(bag, 'signatures/01-sealed-by-clerk.sig'), signEd25519(stranger.privateKey, Buffer.from(statement)));
    });
    expect(report.errors).toContainEqual(expect.objectContaining({ code: 'unknown-key', path: 'signatures/01-sealed-by-clerk.sig', message: expect.stringContaining('is not in the trust store') }));
  });

  it('signed by a revoked key', async () => {
    const revoked = await TrustStore.open(path.join(await scratchDir('trust'), 'trust.json'));
    for (const key of trust.list()) revoked.add(key);
    revoked.revoke(clerkKeyId, 'laptop stolen');
    const report = await tampered(async () => {}, revoked);
    expect(report.errors).toContainEqual(expect.objectContaining({ code: 'revoked-key', message: expect.stringMatching(/was revoked on .* \(laptop stolen\)/) }));
  });

  it.each([
    ['../', '../../etc/passwd', 'climbs out of its folder with ".."'],
    ['an absolute path', '/etc/passwd', 'is an absolute path'],
    ['~', '~/.ssh/id_ed25519', 'starts with "~"'],
  ])('a manifest path that climbs out of the bag: %s', async (_, escape, reason) => {
    const report = await tampered(async (bag) => {
      await appendFile(path.join(bag, 'manifest-sha256.txt'), `${'0'.repeat(64)}  ${escape}\n`);
      await rewriteTagmanifest(bag);
    });
    expect(report.errors).toContainEqual({ code: 'path-outside-bag', path: escape, message: expect.stringContaining(`the path ${reason}`) });
  });

  it('a stray file in signatures/', async () => {
    const report = await tampered((bag) => writeFile(path.join(bag, 'signatures/readme.md'), 'x'));
    expect(report.errors).toEqual([expect.objectContaining({ code: 'unexpected-signature-file', path: 'signatures/readme.md' })]);
  });
});
