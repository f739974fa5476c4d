import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PageRecord } from '../../common/api/contract';
import { ArchiveStore } from '../archive/archive-store';
import { Keystore, type Signer, type SignerRole } from '../signing/keystore';
import { passphraseProtector } from '../signing/protect-secret';
import { TrustStore } from '../signing/trust-store';
import { archiveContentSource } from './batch-contents';
import { BatchService } from './batch-service';
import { BatchStore } from './batch-store';

/** Test helpers: a scratch archive with pages, keys for a clerk and a supervisor, a batch service. */
export const TEST_PASSPHRASE = 'correct horse battery staple';
/** Cheap scrypt for tests only; production keys use DEFAULT_SCRYPT. */
export const testProtector = () => passphraseProtector(TEST_PASSPHRASE, { N: 2 ** 10, r: 8, p: 1 });

export async function scratchDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `arkiva-${prefix}-`));
}

export async function addTestPages(archive: ArchiveStore, count: number, options: { blank?: number[] } = {}): Promise<PageRecord[]> {
  const pages: PageRecord[] = [];
  for (let index = 0; index < count; index += 1) {
    const data = randomBytes(2048 + index);
    const { id } = await archive.putOriginal(data, 'image/png');
    await archive.putDerived(id, 'display.png', randomBytes(512));
    const blank = options.blank?.includes(index + 1) ?? false;
    const page: PageRecord = {
      id,
      source: { kind: 'scan', deviceId: 'sane:test:0', settings: { source: 'flatbed', resolution: 300, mode: 'gray' } },
      capturedAt: new Date(Date.UTC(2026, 10, 22, 9, index)).toISOString(),
      originalMimeType: 'image/png',
      width: 100,
      height: 140,
      status: 'recognized',
      ocr: { text: blank ? '' : `Procesverbal ${index + 1}`, confidence: blank ? 0 : 91, languages: 'sqi+eng', words: [], ...(blank ? { blank: true } : {}) },
    };
    await archive.savePage(page);
    pages.push(page);
  }
  return pages;
}

export async function testSigner(keystore: Keystore, trust: TrustStore, userId: string, role: SignerRole): Promise<Signer> {
  const key = await keystore.create({ userId, displayName: `${userId} (${role})`, role }, testProtector());
  trust.add({ publicKeyPem: key.publicKeyPem, userId, displayName: key.displayName, roles: [role] });
  return keystore.unlock(key.keyId, testProtector());
}

export async function testWorkstation(pageCount = 3, options: { blank?: number[] } = {}) {
  const root = await scratchDir('batches');
  const archive = await ArchiveStore.open(path.join(root, 'archive'));
  const pages = await addTestPages(archive, pageCount, options);
  const keystore = new Keystore(path.join(root, 'keys'));
  const trust = TrustStore.empty();
  const clerk = await testSigner(keystore, trust, 'arta.krasniqi', 'clerk');
  const supervisor = await testSigner(keystore, trust, 'milan.petrovic', 'supervisor');
  const store = new BatchStore(path.join(root, 'batches'));
  const service = new BatchService({
    store,
    contents: archiveContentSource(archive),
    trust: async () => trust,
    institution: 'Instituti i Mjekësisë Ligjore',
    workstation: 'ws-test-01',
  });
  return { root, archive, pages, keystore, trust, clerk, supervisor, store, service };
}
