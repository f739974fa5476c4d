import type { DocumentRecord, OcrWord, PageRecord } from '../../common/api/contract';

let counter = 0;

/** A distinct, valid page id (64 lowercase hex digits) per call, or derived from a seed. */
export function pageId(seed?: number): string {
  const n = seed ?? ++counter;
  return n.toString(16).padStart(64, '0');
}

export function pendingPage(overrides: Partial<PageRecord> = {}): PageRecord {
  return {
    id: pageId(),
    source: { kind: 'import', fileName: 'raporti-1999.png' },
    capturedAt: '2025-03-01T09:00:00.000Z',
    originalMimeType: 'image/png',
    width: 2480,
    height: 3508,
    status: 'pending-ocr',
    ...overrides,
  };
}

export function word(text: string, x0: number, y0: number, x1: number, y1: number, confidence = 90): OcrWord {
  return { text, confidence, bbox: { x0, y0, x1, y1 } };
}

export function recognizedPage(base: PageRecord, text: string, words: OcrWord[] = []): PageRecord {
  return {
    ...base,
    status: 'recognized',
    ocr: { text, confidence: 87.5, languages: 'sqi+srp+eng', words },
  };
}

export function failedPage(base: PageRecord, failure = 'OCR model for sqi is missing'): PageRecord {
  return { ...base, status: 'failed', failure };
}

/** A live document with no pages and the metadata given (persons, sensitivity and tags filled in). */
export function documentRecord(id: string, metadata: Partial<DocumentRecord['metadata']> = {}): DocumentRecord {
  return {
    id,
    revision: 1,
    createdAt: '2026-11-01T08:00:00.000Z',
    updatedAt: '2026-11-01T08:00:00.000Z',
    deleted: false,
    pages: [],
    metadata: { persons: [], sensitivity: 'internal', tags: [], ...metadata },
  };
}
