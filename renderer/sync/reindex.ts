import type { DocumentRecord, PageRecord } from '../../common/api/contract';
import type { ArkivaCatalog } from '../catalog/catalog-db';
import { toIndexedPage } from '../search/indexed-page';
import type { PageSearch } from '../search/page-search';

/** Pages per index message: small enough that an index on the UI thread (the fallback) stays responsive. */
export const INDEX_CHUNK = 200;

export type DocumentOf = (pageId: string) => DocumentRecord | undefined;
const noDocuments: DocumentOf = () => undefined;

export function upsertInChunks(search: PageSearch, pages: readonly PageRecord[], documentOf: DocumentOf = noDocuments): void {
  for (let start = 0; start < pages.length; start += INDEX_CHUNK) {
    search.upsert(pages.slice(start, start + INDEX_CHUNK).map((page) => toIndexedPage(page, documentOf(page.id))));
  }
}

/** Fills an index from the catalog, e.g. after the index was lost; what is already indexed is skipped by the index. */
export async function reindexFromCatalog(catalog: ArkivaCatalog, search: PageSearch, documentOf: DocumentOf = noDocuments): Promise<void> {
  let chunk: PageRecord[] = [];
  await catalog.pages.each((page) => {
    chunk.push(page);
    if (chunk.length === INDEX_CHUNK) {
      upsertInChunks(search, chunk, documentOf);
      chunk = [];
    }
  });
  upsertInChunks(search, chunk, documentOf);
}
