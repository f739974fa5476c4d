import type { DocumentRecord, PageRecord } from '../../common/api/contract';

/** Live documents, the most recently changed first. */
export function liveDocuments(documents: readonly DocumentRecord[]): DocumentRecord[] {
  return documents.filter((document) => !document.deleted).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
}

/** Pages in no live document (a page belongs to at most one), in the order given. */
export function freePages(pages: readonly PageRecord[], documents: readonly DocumentRecord[]): PageRecord[] {
  const taken = new Set(documents.filter((document) => !document.deleted).flatMap((document) => document.pages.map((page) => page.pageId)));
  return pages.filter((page) => !taken.has(page.id));
}
