import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BatchRecord } from '../../common/api/contract';
import { writeBag, type BagEntry, type TagEntry, type WrittenPayloadFile } from '../bagit/write-bag';
import type { Signer } from '../signing/keystore';
import type { BatchContentSource, SealablePage } from './batch-contents';
import { BATCH_FILE, batchFileSchema, custodyFile, custodyRecordSchema, pageFolder, type BatchFile, type CustodyRecord } from './batch-bag-format';
import { writeSignature } from './signatures';

export interface SealInput {
  readonly batch: BatchRecord;
  readonly n: number;
  readonly target: string;
  readonly contents: BatchContentSource;
  readonly clerk: Signer;
  readonly previousSeal?: BatchFile['previousSeal'];
  readonly at?: Date;
}

export interface SealedBag {
  readonly tagmanifestSha256: string;
  readonly payloadOxum: string;
}

/**
 * Writes the batch as a bag in a temporary folder beside `target`, signs it as the clerk, and
 * renames it into place: a crash leaves no half-sealed bag under the final name.
 */
export async function sealBag(input: SealInput): Promise<SealedBag> {
  const { batch, clerk } = input;
  const at = input.at ?? new Date();
  const pages: SealablePage[] = [];
  for (const entry of batch.pages) pages.push(await input.contents.page(entry.pageId));

  const payload: BagEntry[] = [];
  const layout = pages.map((page, index) => {
    const n = index + 1;
    const files = page.files.map((file) => {
      const bagPath = `${pageFolder(n)}/${file.name}`;
      payload.push({ path: bagPath, source: file.source });
      return { file, path: bagPath };
    });
    const raw = files.find(({ file }) => file.kind === 'original');
    if (!raw) throw new Error(`Page ${page.record.id} has no original.`);
    return { n, page, files, raw };
  });
  const pageNumber = new Map(layout.map(({ n, page }) => [page.record.id, n]));
  const documents = (await input.contents.documents?.(batch.pages.map((entry) => entry.pageId))) ?? [];
  const documentLayout = documents.map((document) => {
    const files = document.files.map((file) => {
      const bagPath = `data/documents/${document.id}/${file.name}`;
      payload.push({ path: bagPath, source: file.source });
      return { file, path: bagPath };
    });
    return { document, files, pages: document.pageIds.map((pageId) => pageNumber.get(pageId) ?? 0) };
  });
  const batchPages: BatchFile['pages'] = layout.map(({ n, page, files }) => ({
    n,
    pageId: page.record.id,
    blank: page.record.ocr?.blank === true,
    needsReview: page.record.ocr?.needsReview === true || page.record.status === 'failed',
    files: files.map((entry) => entry.path),
  }));

  // Custody records are written after the payload, from the hashes of the bytes actually in the bag.
  const custodyFiles = (written: ReadonlyMap<string, WrittenPayloadFile>): TagEntry[] =>
    layout.map(({ n, page, files, raw }) => {
      const describe = (entry: (typeof files)[number]) => {
        const file = written.get(entry.path);
        if (!file) throw new Error(`${entry.path} was not written`);
        return {
          path: entry.path,
          kind: entry.file.kind,
          mimeType: entry.file.mimeType,
          sha256: file.sha256,
          bytes: file.bytes,
          ...(entry.file.producedBy ? { producedBy: entry.file.producedBy } : {}),
        };
      };
      const rawFile = describe(raw);
      if (rawFile.sha256 !== page.record.id) {
        throw new Error(`The archive's original of page ${page.record.id} no longer hashes to its id (it hashes to ${rawFile.sha256}): refusing to seal it.`);
      }
      const added = batch.pages[n - 1];
      const custody: CustodyRecord = {
        format: 'arkiva-custody-v1',
        page: n,
        pageId: page.record.id,
        capturedAt: page.record.capturedAt,
        operator: page.record.source.operator ?? 'workstation',
        addedBy: added?.addedBy ?? batch.createdBy,
        addedToBatchAt: added?.addedAt ?? batch.createdAt,
        capture: captureOf(page),
        raw: rawFile,
        derived: [
          ...files.filter((entry) => entry !== raw).map((entry) => ({ ...describe(entry), derivedFrom: raw.path })),
          // A document's PDF/A is derived from each of its pages.
          ...documentLayout
            .filter(({ pages }) => pages.includes(n))
            .flatMap(({ files: documentFiles }) => documentFiles.filter((entry) => entry.file.derivedFrom).map((entry) => ({ ...describe(entry), derivedFrom: raw.path }))),
        ],
      };
      return { path: custodyFile(n), source: { bytes: `${JSON.stringify(custodyRecordSchema.parse(custody), null, 2)}\n` } };
    });

  const batchFile: BatchFile = batchFileSchema.parse({
    format: 'arkiva-batch-v1',
    batchId: batch.id,
    seal: input.n,
    title: batch.title,
    institution: batch.institution,
    workstation: batch.workstation,
    clerk: { userId: clerk.userId, displayName: clerk.displayName, keyId: clerk.keyId },
    sealedAt: at.toISOString(),
    ...(batch.expectedPages === undefined ? {} : { expectedPages: batch.expectedPages }),
    pages: batchPages,
    documents: documentLayout.map(({ document, files, pages }) => ({ id: document.id, title: document.title, revision: document.revision, pages, files: files.map((entry) => entry.path) })),
    ...(input.previousSeal ? { previousSeal: input.previousSeal } : {}),
  });
  const batchTagFile: TagEntry = { path: BATCH_FILE, source: { bytes: `${JSON.stringify(batchFile, null, 2)}\n` } };

  const devices = unique(pages.map((page) => captureOf(page)).map((capture) => capture.device ?? `file import (${capture.driver ?? 'file'})`));
  const settings = unique(pages.flatMap((page) => (page.record.source.kind === 'scan' ? [settingsText(page.record.source.settings)] : [])));
  const info: [string, string][] = [
    ['Source-Organization', batch.institution],
    ['External-Identifier', batch.id],
    ['External-Description', batch.title],
    ['Arkiva-Workstation', batch.workstation],
    ['Arkiva-Clerk', `${clerk.displayName} <${clerk.userId}>`],
    ...devices.map((device): [string, string] => ['Arkiva-Device', device]),
    ...settings.map((setting): [string, string] => ['Arkiva-Scan-Settings', setting]),
    ['Arkiva-Expected-Pages', batch.expectedPages === undefined ? 'not counted' : String(batch.expectedPages)],
    ['Arkiva-Received-Pages', String(pages.length)],
    ['Arkiva-Blank-Pages', String(batchPages.filter((page) => page.blank).length)],
    ['Arkiva-Documents', String(documents.length)],
    ['Arkiva-Batch-Opened', batch.createdAt],
    ['Arkiva-Sealed-At', at.toISOString()],
    ['Arkiva-Seal', String(input.n)],
    ['Bag-Software-Agent', 'Arkiva'],
  ];

  const temp = path.join(path.dirname(input.target), `.${path.basename(input.target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const written = await writeBag(temp, { payload, tagFiles: (files) => [batchTagFile, ...custodyFiles(files)], info, baggingDate: at });
    await writeSignature(temp, clerk, { batchId: batch.id, tagmanifestSha256: written.tagmanifestSha256 }, at);
    await rename(temp, input.target);
    return { tagmanifestSha256: written.tagmanifestSha256, payloadOxum: written.payloadOxum };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

function captureOf(page: SealablePage): CustodyRecord['capture'] {
  const source = page.record.source;
  if (source.kind === 'scan') {
    return {
      method: 'scan',
      device: source.deviceId,
      driver: source.deviceId.split(':')[0] ?? 'unknown',
      settings: source.settings,
      ...(source.jobId ? { jobId: source.jobId } : {}),
    };
  }
  return { method: 'import', driver: 'file-import', fileName: source.fileName };
}

function settingsText(settings: { source: string; resolution: number; mode: string }): string {
  return `${settings.source}, ${settings.resolution} dpi, ${settings.mode}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
