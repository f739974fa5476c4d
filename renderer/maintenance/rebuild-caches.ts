import type { ArkivaApi } from '../../common/api/contract';
import type { ArkivaCatalog } from '../catalog/catalog-db';
import { ingestDocuments } from '../catalog/documents';
import type { PageSearch } from '../search/page-search';
import { INGEST_BATCH } from '../sync/archive-sync';
import { createBatchMembership } from '../sync/batch-membership';
import { createDocumentMembership } from '../sync/document-membership';
import { ingestAndIndex } from '../sync/reindex';

export type RebuildProgress =
  | { readonly phase: 'reading' }
  | { readonly phase: 'clearing' }
  | { readonly phase: 'documents'; readonly total: number }
  | { readonly phase: 'pages'; readonly done: number; readonly total: number };

export interface RebuildResult {
  readonly pages: number;
  /** Documents in the archive, deleted ones (kept as history) included… */
  readonly documents: number;
  /** …and those still live. */
  readonly liveDocuments: number;
  readonly persons: number;
  /** Archive files that could not be read, relative to the archive folder, and why. */
  readonly unreadable: readonly { readonly path: string; readonly reason: string }[];
}

export interface RebuildDeps {
  readonly api: ArkivaApi;
  readonly catalog: ArkivaCatalog;
  readonly search: PageSearch;
}

/**
 * Throws away the window's caches of the archive (the catalog's pages, documents and the persons
 * they name, and the whole search index) and fills them again from what `archive.rebuild` reads
 * off the disk alone. Everything goes in through the same paths the sync uses (ingestAndIndex,
 * ingestDocuments), in the same chunks, with each page indexed under its
 * document's fields and its batch. The archive is read first, so a failure there clears nothing.
 * Batches and the audit trail are not part of `archive.rebuild` and stay as they are.
 */
export async function rebuildCaches({ api, catalog, search }: RebuildDeps, onProgress: (progress: RebuildProgress) => void = () => undefined): Promise<RebuildResult> {
  onProgress({ phase: 'reading' });
  const { pages, documents, unreadable } = await api['archive.rebuild']({});

  onProgress({ phase: 'clearing' });
  await catalog.transaction('rw', catalog.pages, catalog.documents, catalog.persons, async () => {
    await Promise.all([catalog.pages.clear(), catalog.documents.clear(), catalog.persons.clear()]);
  });
  search.retain([]);

  onProgress({ phase: 'documents', total: documents.length });
  await ingestDocuments(catalog, documents);
  const membership = createDocumentMembership();
  for (const document of documents) membership.set(document);
  const batches = createBatchMembership();
  for (const batch of await catalog.batches.toArray()) batches.set(batch);
  const context = { documentOf: membership.documentOf, batchOf: batches.batchOf };

  let done = 0;
  onProgress({ phase: 'pages', done, total: pages.length });
  for (let start = 0; start < pages.length; start += INGEST_BATCH) {
    await ingestAndIndex(catalog, search, pages.slice(start, start + INGEST_BATCH), context);
    done = Math.min(pages.length, start + INGEST_BATCH);
    onProgress({ phase: 'pages', done, total: pages.length });
  }

  return {
    pages: await catalog.pages.count(),
    documents: documents.length,
    liveDocuments: documents.filter((document) => !document.deleted).length,
    persons: await catalog.persons.count(),
    unreadable,
  };
}
