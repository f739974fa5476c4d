import type { OcrResult, PageRecord, PageSource } from '../../common/api/contract';
import { openImport } from '../../scanner-drivers/file-import/import-pages';
import type { PdfTextLayer } from '../../scanner-drivers/file-import/import-pages';
import { ImportError } from '../../scanner-drivers/file-import/import-errors';

/** Where imported pages go: the archive's page intake. */
export interface ImportSink {
  ingest(data: Buffer, image: { mimeType: string }, source: PageSource, text?: OcrResult): Promise<PageRecord>;
}

/** Where a multi-page file is kept whole, as the original of record its pages point to. */
export interface OriginalStore {
  putOriginal(data: Uint8Array, mimeType: string): Promise<{ id: string }>;
}

export interface FileImportOutcome {
  readonly pages: PageRecord[];
  /** Set when the file, or a page of it, could not be imported; `pages` holds what was. */
  readonly error: ImportError | undefined;
}

/** A PDF's text layer as the page's text. Its "confidence" is 100: it is the file's own text, not a guess. */
function asOcrResult(layer: PdfTextLayer): OcrResult {
  return {
    text: layer.text,
    confidence: 100,
    languages: '',
    words: layer.words.map((word) => ({ text: word.text, confidence: 100, bbox: { ...word.bbox } })),
  };
}

/**
 * Imports one file: a one-page image becomes a page as it is; a multi-page TIFF or a PDF is
 * kept whole by its hash, and each of its pages becomes a page of its own that records the
 * file's name and hash and its page number. Pages are stored one at a time as they are
 * extracted. A page that fails after others were stored keeps those; the error says so.
 */
export async function importFile(
  fileName: string,
  data: Buffer,
  deps: { readonly sink: ImportSink; readonly originals: OriginalStore; readonly maxPixels?: number },
): Promise<FileImportOutcome> {
  const pages: PageRecord[] = [];
  try {
    const file = await openImport(data, fileName, deps.maxPixels === undefined ? {} : { maxPixels: deps.maxPixels });
    const whole = file.pageCount > 1 || file.mimeType === 'application/pdf';
    const fileSha256 = whole ? (await deps.originals.putOriginal(data, file.mimeType)).id : undefined;
    for await (const page of file.pages) {
      const source: PageSource =
        fileSha256 === undefined
          ? { kind: 'import', fileName }
          : { kind: 'import', fileName, fileSha256, pageNumber: page.pageNumber, pageCount: page.pageCount };
      const text = page.textLayer === undefined ? undefined : asOcrResult(page.textLayer);
      pages.push(await deps.sink.ingest(page.data, { mimeType: page.mimeType }, source, text));
    }
    return { pages, error: undefined };
  } catch (error) {
    if (!(error instanceof ImportError)) throw error;
    if (pages.length === 0) return { pages, error };
    const kept = pages.length === 1 ? 'Page 1 was imported.' : `Pages 1 to ${pages.length} were imported.`;
    return {
      pages,
      error: new ImportError(error.code, fileName, `${error.message} ${kept}`, { detail: error.detail, cause: error }),
    };
  }
}
