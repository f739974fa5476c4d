import type { PageRecord } from '../../common/api/contract';

/** What the search index needs of a page: small and structured-cloneable, so it can cross to a worker. */
export interface IndexedPage {
  readonly id: string;
  /** The OCR text; empty when the page has none (yet), which removes it from the index. */
  readonly text: string;
  /** For imports; empty for scans. */
  readonly fileName: string;
  /** For scans; empty for imports. */
  readonly deviceId: string;
  readonly capturedAt: string;
}

export function toIndexedPage(page: PageRecord): IndexedPage {
  return {
    id: page.id,
    text: page.ocr?.text.trim() ? page.ocr.text : '',
    fileName: page.source.kind === 'import' ? page.source.fileName : '',
    deviceId: page.source.kind === 'scan' ? page.source.deviceId : '',
    capturedAt: page.capturedAt,
  };
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
  readonly snippet: readonly SnippetPart[];
  /** The folded words of the page that matched, for highlighting them on the page image. */
  readonly terms: readonly string[];
}
