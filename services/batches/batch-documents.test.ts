import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { PageRecord } from '../../common/api/contract';
import { ArchiveStore } from '../archive/archive-store';
import { DocumentStore } from '../documents/document-store';
import { Keystore } from '../signing/keystore';
import { TrustStore } from '../signing/trust-store';
import { batchFileSchema, custodyRecordSchema } from './batch-bag-format';
import { archiveContentSource } from './batch-contents';
import { BatchService } from './batch-service';
import { BatchStore } from './batch-store';
import { scratchDir, testSigner } from './test-batches';
import { verifyBatch } from './verify-batch';

async function realPage(archive: ArchiveStore, shade: number): Promise<PageRecord> {
  const png = await sharp({ create: { width: 200, height: 280, channels: 3, background: { r: shade, g: shade, b: shade } } }).png().toBuffer();
  const { id } = await archive.putOriginal(png, 'image/png');
  const page: PageRecord = {
    id,
    source: { kind: 'import', fileName: `page-${shade}.png` },
    capturedAt: new Date().toISOString(),
    originalMimeType: 'image/png',
    width: 200,
    height: 280,
    status: 'recognized',
    ocr: { text: 'Raport', confidence: 90, languages: 'sqi', words: [] },
  };
  await archive.savePage(page);
  return page;
}

describe('sealing documents with their pages', () => {
  it('adds each document made of the batch\'s pages as PDF/A with its record, derived from each page in the custody chain', async () => {
    const root = await scratchDir('documents');
    const archive = await ArchiveStore.open(path.join(root, 'archive'));
    const documents = await DocumentStore.open(archive);
    const pages = [await realPage(archive, 250), await realPage(archive, 240), await realPage(archive, 230)];
    const report = await documents.create([pages[0]?.id ?? '', pages[1]?.id ?? ''], { title: 'Raport i autopsisë 17/2003' });
    const outside = await realPage(archive, 220);
    await documents.create([pages[2]?.id ?? '', outside.id], { title: 'Partly outside the batch' });

    const trust = TrustStore.empty();
    const clerk = await testSigner(new Keystore(path.join(root, 'keys')), trust, 'arta', 'clerk');
    const store = new BatchStore(path.join(root, 'batches'));
    const service = new BatchService({ store, contents: archiveContentSource(archive, documents), trust: async () => trust, institution: 'IML', workstation: 'ws' });
    const batch = await service.open({ title: 'Dosja', actor: 'arta', expectedPages: 3, pageIds: pages.map((page) => page.id) });
    await service.seal(batch.id, clerk);
    const bag = store.bagDir(batch.id, 1);

    const described = batchFileSchema.parse(JSON.parse(await readFile(path.join(bag, 'batch.json'), 'utf8')));
    expect(described.documents).toEqual([
      { id: report.id, title: 'Raport i autopsisë 17/2003', revision: 1, pages: [1, 2], files: [`data/documents/${report.id}/document.json`, `data/documents/${report.id}/document.pdf`] },
    ]);
    const pdf = await readFile(path.join(bag, `data/documents/${report.id}/document.pdf`));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('pdfaid:part');

    const custody = custodyRecordSchema.parse(JSON.parse(await readFile(path.join(bag, 'custody/0002.json'), 'utf8')));
    expect(custody.derived).toContainEqual(expect.objectContaining({ path: `data/documents/${report.id}/document.pdf`, kind: 'pdfa', derivedFrom: 'data/pages/0002/original.png' }));
    const third = custodyRecordSchema.parse(JSON.parse(await readFile(path.join(bag, 'custody/0003.json'), 'utf8')));
    expect(third.derived.map((file) => file.kind)).not.toContain('pdfa');

    expect((await verifyBatch(bag, trust)).errors).toEqual([]);
  });
});
