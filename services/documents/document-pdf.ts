import type { DocumentRecord, PageRecord } from '../../common/api/contract';
import { ArchiveIntegrityError, type ArchiveStore } from '../archive/archive-store';
import { buildSearchablePdf, type BuildPdfOptions, type PdfSourcePage } from '../pdf/build-pdf';
import packageJson from '../../package.json' with { type: 'json' };

/**
 * The searchable PDF/A-2b of a document at its current revision. Every original is re-hashed
 * before it is used: a page whose file is missing or altered stops the export with a clear
 * error rather than publishing something that is not the record.
 */
export async function documentPdf(archive: ArchiveStore, document: DocumentRecord, options: BuildPdfOptions = {}): Promise<Uint8Array> {
  const pages: PdfSourcePage[] = [];
  for (const [index, { pageId, rotation }] of document.pages.entries()) {
    const page = await requirePage(archive, pageId, index);
    const image = await archive.readOriginalVerified(page.id, page.originalMimeType);
    const turn = page.ocr?.orientation;
    pages.push({
      image,
      ocr: page.status === 'recognized' ? page.ocr : undefined,
      rotation,
      uprightTurn: turn === 90 || turn === 180 || turn === 270 ? turn : 0,
      dpi: page.source.kind === 'scan' ? page.source.settings.resolution : undefined,
    });
  }
  const { metadata } = document;
  return buildSearchablePdf(
    pages,
    {
      title: documentTitle(document),
      subject: [metadata.documentType, metadata.caseNumber && `case ${metadata.caseNumber}`, metadata.date, metadata.institution]
        .filter(Boolean)
        .join(', ') || undefined,
      keywords: [...metadata.tags, ...metadata.persons],
      identifier: document.id,
      documentUuid: document.id,
      creatorTool: `Arkiva ${packageJson.version}`,
      createdAt: new Date(document.createdAt),
      modifiedAt: new Date(document.updatedAt),
    },
    options,
  );
}

export function documentTitle(document: DocumentRecord): string {
  const { title, documentType, caseNumber } = document.metadata;
  return title ?? ([documentType, caseNumber].filter(Boolean).join(' ') || `Document ${document.id.slice(0, 8)}`);
}

/** A file name a clerk recognises: case number (or title) and the start of the id. */
export function documentFileName(document: DocumentRecord, extension: string): string {
  const base = (document.metadata.caseNumber ?? document.metadata.title ?? 'document')
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'document'}-${document.id.slice(0, 8)}.${extension}`;
}

async function requirePage(archive: ArchiveStore, pageId: string, index: number): Promise<PageRecord> {
  const page = await archive.getPage(pageId);
  if (!page) {
    const file = archive.relative(archive.pagePath(pageId));
    throw new ArchiveIntegrityError('missing', file, `Page ${index + 1} of the document (${pageId}) has no page record in the archive (${file}).`);
  }
  return page;
}
