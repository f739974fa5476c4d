import type { BatchRecord, BatchState, DocumentRecord, PageRecord, PageStatus } from '../../common/api/contract';

/**
 * What the search index needs of a page: small and structured-cloneable, so it can cross to a
 * worker. The document fields (case number, persons, …) are the seam for the archive's documents:
 * empty until pages carry them, then filled by toIndexedPage and searched with their boosts.
 */
export interface IndexedPage {
  readonly id: string;
  /** The OCR text; empty when the page has none (yet), which removes it from the index. */
  readonly text: string;
  /** For imports; empty for scans. */
  readonly fileName: string;
  /** For scans; empty for imports. */
  readonly deviceId: string;
  readonly capturedAt: string;
  readonly status?: PageStatus;
  readonly sourceKind?: 'import' | 'scan';
  /** The document the page belongs to; pages are their own document until documents exist. */
  readonly documentId?: string;
  readonly caseNumber?: string;
  readonly persons?: string;
  readonly title?: string;
  readonly institution?: string;
  readonly documentType?: string;
  /** ISO date of the document itself, which date sorting prefers over the capture date. */
  readonly documentDate?: string;
  /** The batch the page was scanned or filed into, if any, and where that batch stands (open … synced). */
  readonly batchId?: string;
  readonly batchState?: BatchState;
}

/**
 * A page as the index takes it, with its document's fields when it belongs to a live document,
 * and its batch (id and state) when it is filed in one. A page in no batch has neither: the
 * `unbatched` filter selects those.
 */
export function toIndexedPage(page: PageRecord, document?: DocumentRecord, batch?: BatchRecord): IndexedPage {
  const base: IndexedPage = {
    id: page.id,
    text: page.ocr?.text.trim() ? page.ocr.text : '',
    fileName: page.source.kind === 'import' ? page.source.fileName : '',
    deviceId: page.source.kind === 'scan' ? page.source.deviceId : '',
    capturedAt: page.capturedAt,
    status: page.status,
    sourceKind: page.source.kind,
    ...(batch ? { batchId: batch.id, batchState: batch.state } : {}),
  };
  if (!document || document.deleted) return base;
  const { metadata } = document;
  return {
    ...base,
    documentId: document.id,
    caseNumber: metadata.caseNumber ?? '',
    persons: metadata.persons.join('; '),
    title: metadata.title ?? '',
    institution: metadata.institution ?? '',
    documentType: metadata.documentType ?? '',
    documentDate: paddedDate(metadata.date),
  };
}

/** "1999" and "1999-03" as the first day they cover, so they compare with full dates. */
function paddedDate(date: string | undefined): string {
  if (!date) return '';
  return date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date;
}

/** Tells the index a page is gone: a page without text is taken out. */
export function withoutText(id: string): IndexedPage {
  return { id, text: '', fileName: '', deviceId: '', capturedAt: '' };
}

export interface SnippetPart {
  readonly text: string;
  /** A word that matched the query. */
  readonly match: boolean;
}

export interface PageHit {
  readonly pageId: string;
  readonly score: number;
  readonly fileName: string;
  readonly deviceId: string;
  readonly capturedAt: string;
  readonly documentId: string;
  /** The document's title and case number, when the page belongs to a described document. */
  readonly documentTitle?: string;
  readonly caseNumber?: string;
  readonly snippet: readonly SnippetPart[];
  /**
   * What matched on this page, for highlighting it in the snippet and on the page image: folded
   * words, and variant keys (prefixed "~") that match every spelling of a name (see term-match).
   */
  readonly terms: readonly string[];
}

export type SearchSort = 'relevance' | 'newest' | 'oldest';

export interface SearchFilters {
  /** Inclusive ISO dates (YYYY-MM-DD), compared with the document date, else the capture date. */
  readonly from?: string;
  readonly to?: string;
  readonly source?: 'import' | 'scan';
  readonly status?: PageStatus;
  readonly institution?: string;
  readonly documentType?: string;
  readonly batchId?: string;
  /** Where the page's batch stands; `unbatched` for pages in no batch yet. */
  readonly batchState?: BatchState | 'unbatched';
}

export interface SearchOptions {
  readonly limit?: number;
  readonly sort?: SearchSort;
  readonly filters?: SearchFilters;
}
