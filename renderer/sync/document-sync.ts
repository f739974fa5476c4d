import type { ArkivaApi, DocumentRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import type { ArkivaCatalog } from '../catalog/catalog-db';
import { ingestDocuments, removeDocumentsNotIn, type DocumentChange } from '../catalog/documents';
import type { PageSearch } from '../search/page-search';
import type { DocumentMembership } from './document-membership';
import { reindexPages as reindexCatalogPages, type BatchOf } from './reindex';
import { createSerialBatches } from './serial-batches';

export interface DocumentSyncOptions {
  api: ArkivaApi;
  catalog: ArkivaCatalog;
  search: PageSearch;
  membership: DocumentMembership;
  /** Pages re-indexed for their document keep their batch. */
  batchOf?: BatchOf;
  onError: (error: unknown) => void;
}

export interface DocumentSync {
  /** Resolves once the document listing has been taken in (or the services have no documents). */
  readonly loaded: Promise<void>;
  stop(): void;
}

/**
 * Keeps documents in the catalog and their fields in the index: a page is found by its
 * document's case number, persons, title, type and institution. Follows `document.changed`,
 * lists documents at start and after a reconnect, and re-indexes exactly the pages whose
 * document changed (those it gained and those it lost). Services without documents (an older
 * host) answer `unknown-method`; pages are then indexed on their own, as before.
 */
export function startDocumentSync(options: DocumentSyncOptions): DocumentSync {
  const { api, catalog, search, membership, onError } = options;
  let stopped = false;

  const context = { documentOf: membership.documentOf, ...(options.batchOf ? { batchOf: options.batchOf } : {}) };
  const reindexPages = (pageIds: Iterable<string>) => reindexCatalogPages(catalog, search, pageIds, context);

  const apply = (changes: readonly DocumentChange[], touched: Set<string>) => {
    for (const { before, after } of changes) for (const id of membership.set(after, before)) touched.add(id);
  };

  const queue = createSerialBatches<DocumentRecord>(async (documents) => {
    const touched = new Set<string>();
    apply(await ingestDocuments(catalog, documents), touched);
    await reindexPages(touched);
  });

  const unsubscribers = [
    api.on('document.changed', ({ document }) => {
      queue.enqueue([document]).catch(onError);
    }),
  ];

  const takeListing = async (): Promise<void> => {
    // What the catalog already knows, so pages are indexed with their documents before the listing lands.
    const known = await catalog.documents.toArray();
    for (const document of known) membership.set(document);
    let listed: DocumentRecord[];
    try {
      ({ documents: listed } = await api['documents.list']({}));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unknown-method') return;
      throw error;
    }
    if (stopped) return;
    await queue.enqueue(listed);
    const gone = await removeDocumentsNotIn(catalog, new Set(listed.map((document) => document.id)));
    const touched = new Set<string>();
    for (const document of gone) for (const id of membership.remove(document)) touched.add(id);
    // Pages of unchanged documents too: the index may hold them without their fields (first run).
    for (const document of listed) for (const page of document.pages) touched.add(page.pageId);
    await reindexPages(touched);
  };

  const loaded = takeListing().catch((error: unknown) => {
    if (!stopped) onError(error);
  });
  unsubscribers.push(
    api.onReconnect(() => {
      takeListing().catch(onError);
    }),
  );

  return {
    loaded,
    stop() {
      stopped = true;
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}
