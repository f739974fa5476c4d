import type { DocumentRecord } from '../../common/api/contract';

/** Which document each page belongs to, for indexing pages with their document's fields. */
export interface DocumentMembership {
  documentOf(pageId: string): DocumentRecord | undefined;
  /** Records a document's current state; returns the ids of pages whose document changed. */
  set(document: DocumentRecord, before?: DocumentRecord): string[];
  remove(document: DocumentRecord): string[];
}

/**
 * A page belongs to at most one live document (the archive enforces it); deleted documents
 * free their pages. Kept in memory: every page indexed asks for its document.
 */
export function createDocumentMembership(): DocumentMembership {
  const byPage = new Map<string, DocumentRecord>();
  const release = (document: DocumentRecord | undefined, touched: Set<string>) => {
    if (!document) return;
    for (const { pageId } of document.pages) {
      if (byPage.get(pageId)?.id === document.id) byPage.delete(pageId);
      touched.add(pageId);
    }
  };
  return {
    documentOf: (pageId) => byPage.get(pageId),
    set(document, before) {
      const touched = new Set<string>();
      release(before, touched);
      if (!document.deleted) {
        for (const { pageId } of document.pages) {
          byPage.set(pageId, document);
          touched.add(pageId);
        }
      } else {
        release(document, touched);
      }
      return [...touched];
    },
    remove(document) {
      const touched = new Set<string>();
      release(document, touched);
      return [...touched];
    },
  };
}
