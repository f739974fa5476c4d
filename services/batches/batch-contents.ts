import type { PageRecord } from '../../common/api/contract';
import type { ArchiveStore } from '../archive/archive-store';
import type { BagSource } from '../bagit/write-bag';
import { documentPdf, documentTitle } from '../documents/document-pdf';
import type { DocumentStore } from '../documents/document-store';
import { DISPLAY_IMAGE } from '../pages/page-intake';

export type SealableFileKind = 'original' | 'ocr' | 'display' | 'pdfa' | 'document' | 'source-file';

export interface SealableFile {
  /** File name inside the page's folder in the bag, e.g. "original.tif". */
  readonly name: string;
  readonly kind: SealableFileKind;
  readonly mimeType: string;
  readonly source: BagSource;
  /** For a derived file: the kind of file it was made from, for the chain of custody. */
  readonly derivedFrom?: SealableFileKind;
  /** What made it (OCR engine and languages, display renderer...). */
  readonly producedBy?: string;
}

export interface SealablePage {
  readonly record: PageRecord;
  readonly files: readonly SealableFile[];
}

/** A document (pages grouped by the clerk) sealed with its pages: its record and its PDF/A. */
export interface SealableDocument {
  readonly id: string;
  readonly title: string;
  readonly revision: number;
  /** Its pages, in reading order; all of them are in the batch. */
  readonly pageIds: readonly string[];
  readonly files: readonly SealableFile[];
}

/**
 * Where a batch's contents come from. Sealing only sees this interface, so new kinds of archive
 * content plug in here without touching the bag code.
 */
export interface BatchContentSource {
  page(pageId: string): Promise<SealablePage>;
  /** The documents made only of these pages (a document with a page outside the batch is not sealed with it). */
  documents?(pageIds: readonly string[]): Promise<SealableDocument[]>;
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/tiff': 'tif', 'application/pdf': 'pdf' };

export function archiveContentSource(archive: ArchiveStore, documentStore?: DocumentStore): BatchContentSource {
  return {
    ...(documentStore
      ? {
          async documents(pageIds: readonly string[]) {
            const inBatch = new Set(pageIds);
            const owners = new Set(pageIds.flatMap((pageId) => documentStore.ownerOf(pageId) ?? []));
            return documentStore
              .list()
              .filter((document) => owners.has(document.id) && !document.deleted && document.pages.every((page) => inBatch.has(page.pageId)))
              .map((document): SealableDocument => ({
                id: document.id,
                title: documentTitle(document),
                revision: document.revision,
                pageIds: document.pages.map((page) => page.pageId),
                files: [
                  {
                    name: 'document.json',
                    kind: 'document',
                    mimeType: 'application/json',
                    source: { bytes: `${JSON.stringify(documentStore.get(document.id), null, 2)}\n` },
                    producedBy: `Arkiva documents, revision ${document.revision}`,
                  },
                  {
                    name: 'document.pdf',
                    kind: 'pdfa',
                    mimeType: 'application/pdf',
                    // Built when the writer reaches it; every original is re-hashed on the way in.
                    source: { load: () => documentPdf(archive, document) },
                    derivedFrom: 'original',
                    producedBy: 'Arkiva searchable PDF/A-2b (pdf-lib)',
                  },
                ],
              }));
          },
        }
      : {}),
    async page(pageId) {
      const record = await archive.getPage(pageId);
      if (!record) throw new Error(`Page ${pageId} is not in the archive.`);
      const files: SealableFile[] = [
        {
          name: `original.${EXTENSIONS[record.originalMimeType] ?? 'bin'}`,
          kind: 'original',
          mimeType: record.originalMimeType,
          source: { load: () => archive.readOriginal(pageId, record.originalMimeType) },
        },
      ];
      if (await archive.readDerived(pageId, DISPLAY_IMAGE)) {
        files.push({
          name: 'display.png',
          kind: 'display',
          mimeType: 'image/png',
          source: { load: async () => (await archive.readDerived(pageId, DISPLAY_IMAGE)) ?? Buffer.alloc(0) },
          derivedFrom: 'original',
          producedBy: 'sharp (upright, at most 2400 px)',
        });
      }
      if (record.ocr) {
        files.push({
          name: 'ocr.json',
          kind: 'ocr',
          mimeType: 'application/json',
          source: { bytes: `${JSON.stringify(record.ocr, null, 2)}\n` },
          derivedFrom: 'original',
          producedBy: record.textSource === 'pdf-text-layer' ? 'text layer of the source PDF' : `tesseract.js (${record.ocr.languages})`,
        });
      }
      return { record, files };
    },
  };
}
