import type { BatchRecord, DocumentRecord, PageRecord } from '../../common/api/contract';
import type { ArkivaCatalog } from '../catalog/catalog-db';
import { ingestPages } from '../catalog/ingest';
import { toIndexedPage } from '../search/indexed-page';
import type { PageSearch } from '../search/page-search';

/** Pages per index message: small enough that an index on the UI thread (the fallback) stays responsive. */
export const INDEX_CHUNK = 200;

export type DocumentOf = (pageId: string) => DocumentRecord | undefined;
export type BatchOf = (pageId: string) => BatchRecord | undefined;

/** What a page is indexed with besides itself: its document's fields and its batch. */
export interface PageContext {
  readonly documentOf?: DocumentOf;
  readonly batchOf?: BatchOf;
}

export function upsertInChunks(search: PageSearch, pages: readonly PageRecord[], context: PageContext = {}): void {
  const { documentOf, batchOf } = context;
  for (let start = 0; start < pages.length; start += INDEX_CHUNK) {
    search.upsert(pages.slice(start, start + INDEX_CHUNK).map((page) => toIndexedPage(page, documentOf?.(page.id), batchOf?.(page.id))));
  }
}

/**
 * Takes pages into the catalog, then indexes what the catalog now holds: the last outcome per
 * page (status precedence may keep an earlier record), never the incoming record as such.
 */
export async function ingestAndIndex(catalog: ArkivaCatalog, search: PageSearch, pages: readonly PageRecord[], context: PageContext = {}): Promise<void> {
  const outcomes = await ingestPages(catalog, pages);
  const held = new Map(outcomes.map((outcome) => [outcome.page.id, outcome.page]));
  upsertInChunks(search, [...held.values()], context);
}

/** Fills an index from the catalog, e.g. after the index was lost; what is already indexed is skipped by the index. */
export async function reindexFromCatalog(catalog: ArkivaCatalog, search: PageSearch, context: PageContext = {}): Promise<void> {
  let chunk: PageRecord[] = [];
  await catalog.pages.each((page) => {
    chunk.push(page);
    if (chunk.length === INDEX_CHUNK) {
      upsertInChunks(search, chunk, context);
      chunk = [];
    }
  });
  upsertInChunks(search, chunk, context);
}

/** Re-indexes the catalog's pages of these ids (those it does not hold yet are indexed when they arrive). */
export async function reindexPages(catalog: ArkivaCatalog, search: PageSearch, pageIds: Iterable<string>, context: PageContext): Promise<void> {
  const ids = [...new Set(pageIds)];
  if (ids.length === 0) return;
  const pages = (await catalog.pages.bulkGet(ids)).filter((page): page is PageRecord => page !== undefined);
  upsertInChunks(search, pages, context);
}
