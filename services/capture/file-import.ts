import { createHash } from 'node:crypto';
import { ArchiveStore } from '../archive/archive-store';
import type { OcrResult, PageRecord, PageSource } from '../../common/api/contract';
import { openImport } from '../../scanner-drivers/file-import/import-pages';
import type { PdfTextLayer } from '../../scanner-drivers/file-import/import-pages';
import { ImportError } from '../../scanner-drivers/file-import/import-errors';

/** A multi-page file under import, as the journal keeps it: enough to extract its pages again. */
export interface WholeFile {
  readonly fileSha256: string;
  readonly mimeType: string;
  readonly fileName: string;
  /** Who imported it, when known: a resumed import keeps the name of the one who started it. */
  readonly operator?: string | undefined;
}

/** Where imported pages go: the archive's page intake. */
export interface ImportSink {
  ingest(data: Buffer, image: { mimeType: string }, source: PageSource, text?: OcrResult): Promise<PageRecord>;
  /** Journals a multi-page file before anything of it is stored, so a crash part-way is finished at the next start. */
  beginFile(file: WholeFile): Promise<void>;
  /** The file's pages are all stored (or it failed for good): its journal entry goes. */
  endFile(fileSha256: string): Promise<void>;
}

/** Where a multi-page file is kept whole, as the original of record its pages point to. */
export interface OriginalStore {
  putOriginal(data: Uint8Array, mimeType: string): Promise<{ id: string }>;
  getPage(id: string): Promise<PageRecord | undefined>;
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
 *
 * A multi-page file is journaled (hash, type, name) before it is stored whole, and the entry
 * goes once every page is in: a crash or a full disk part-way leaves the entry, and the next
 * start extracts the file again from the stored whole and stores the pages still missing
 * (pages are named by their hash, so those already stored are not stored twice).
 */
export async function importFile(
  fileName: string,
  data: Buffer,
  deps: { readonly sink: ImportSink; readonly originals: OriginalStore; readonly maxPixels?: number; readonly operator?: string | undefined },
): Promise<FileImportOutcome> {
  const pages: PageRecord[] = [];
  let journaled: string | undefined;
  try {
    const file = await openImport(data, fileName, deps.maxPixels === undefined ? {} : { maxPixels: deps.maxPixels });
    const whole = file.pageCount > 1 || file.mimeType === 'application/pdf';
    const fileSha256 = whole ? createHash('sha256').update(data).digest('hex') : undefined;
    if (fileSha256 !== undefined) {
      await deps.sink.beginFile({ fileSha256, mimeType: file.mimeType, fileName, operator: deps.operator });
      journaled = fileSha256;
    }
    let wholeStored = false;
    for await (const page of file.pages) {
      // Stored before the first page that is new, so no original is left that no page refers
      // to (fixity counts those as damage): neither of a file bad from page 1, nor of a file
      // whose pages are all in the archive already (their records name the file they came in).
      if (fileSha256 !== undefined && !wholeStored && !(await deps.originals.getPage(ArchiveStore.hash(page.data)))) {
        await deps.originals.putOriginal(data, file.mimeType);
        wholeStored = true;
      }
      const source: PageSource = {
        kind: 'import',
        fileName,
        ...(fileSha256 === undefined ? {} : { fileSha256, pageNumber: page.pageNumber, pageCount: page.pageCount }),
        ...(deps.operator === undefined ? {} : { operator: deps.operator }),
      };
      const text = page.textLayer === undefined ? undefined : asOcrResult(page.textLayer);
      pages.push(await deps.sink.ingest(page.data, { mimeType: page.mimeType }, source, text));
    }
    if (journaled !== undefined) await deps.sink.endFile(journaled);
    return { pages, error: undefined };
  } catch (error) {
    // Anything else (a full disk, a crash) leaves the journal entry: the import is finished later.
    if (!(error instanceof ImportError)) throw error;
    // The file itself is bad from this page on: trying again at the next start would fail the same way.
    if (journaled !== undefined) await deps.sink.endFile(journaled);
    if (pages.length === 0) return { pages, error };
    const kept = pages.length === 1 ? 'Page 1 was imported.' : `Pages 1 to ${pages.length} were imported.`;
    return {
      pages,
      error: new ImportError(error.code, fileName, `${error.message} ${kept}`, { detail: error.detail, cause: error }),
    };
  }
}
