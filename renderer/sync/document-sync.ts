import type { ArkivaApi, DocumentRecord } from '../../common/api/contract';
import type { ArkivaCatalog } from '../catalog/catalog-db';
import { ingestDocuments, removeDocumentsNotIn } from '../catalog/documents';
import type { PageSearch } from '../search/page-search';
import type { DocumentMembership } from './document-membership';
import { followListing, type ListingSync } from './listing-sync';
import { reindexPages, type BatchOf } from './reindex';

export interface DocumentSyncOptions {
  api: ArkivaApi;
  catalog: ArkivaCatalog;
  search: PageSearch;
  membership: DocumentMembership;
  /** Pages re-indexed for their document keep their batch. */
  batchOf?: BatchOf;
  onError: (error: unknown) => void;
}

export type DocumentSync = ListingSync;

/**
 * Keeps documents in the catalog and their fields in the index: a page is found by its
 * document's case number, persons, title, type and institution. Follows `document.changed`,
 * lists documents at start and after a reconnect, and re-indexes exactly the pages whose
 * document changed (those it gained and those it lost). Services without documents (an older
 * host) answer `unknown-method`; pages are then indexed on their own, as before.
 */
export function startDocumentSync(options: DocumentSyncOptions): DocumentSync {
  const { api, catalog, search, membership } = options;
  const context = { documentOf: membership.documentOf, ...(options.batchOf ? { batchOf: options.batchOf } : {}) };
  return followListing<DocumentRecord>({
    api,
    known: () => catalog.documents.toArray(),
    list: async () => (await api['documents.list']({})).documents,
    follow: (onChange) => api.on('document.changed', ({ document }) => onChange(document)),
    remember: (document) => void membership.set(document),
    take: async (documents) => (await ingestDocuments(catalog, documents)).flatMap(({ before, after }) => membership.set(after, before)),
    dropAllBut: async (ids) => (await removeDocumentsNotIn(catalog, ids)).flatMap((document) => membership.remove(document)),
    pagesOf: (document) => document.pages.map((page) => page.pageId),
    reindex: (pageIds) => reindexPages(catalog, search, pageIds, context),
    onError: options.onError,
  });
}
