import type { ArkivaApi, BatchRecord } from '../../common/api/contract';
import { ingestBatches, removeBatchesNotIn } from '../catalog/batches';
import type { ArkivaCatalog } from '../catalog/catalog-db';
import type { PageSearch } from '../search/page-search';
import type { BatchMembership } from './batch-membership';
import { followListing, type ListingSync } from './listing-sync';
import { reindexPages, type DocumentOf } from './reindex';

export interface BatchSyncOptions {
  api: ArkivaApi;
  catalog: ArkivaCatalog;
  search: PageSearch;
  membership: BatchMembership;
  /** Pages re-indexed for their batch keep their document's fields. */
  documentOf?: DocumentOf;
  onError: (error: unknown) => void;
}

export type BatchSync = ListingSync;

/**
 * Keeps batches in the catalog and each page's batch (and its state: open … synced) in the index,
 * so the search filters by batch and sync state follow the batches. Follows `batch.changed`,
 * lists batches at start and after a reconnect, and re-indexes exactly the pages whose batch
 * changed: those in it and those that left it. Services without batches answer `unknown-method`;
 * pages are then indexed as in no batch.
 */
export function startBatchSync(options: BatchSyncOptions): BatchSync {
  const { api, catalog, search, membership } = options;
  const context = { batchOf: membership.batchOf, ...(options.documentOf ? { documentOf: options.documentOf } : {}) };
  return followListing<BatchRecord>({
    api,
    known: () => catalog.batches.toArray(),
    list: async () => (await api['batches.list']({})).batches,
    follow: (onChange) => api.on('batch.changed', ({ batch }) => onChange(batch)),
    remember: (batch) => void membership.set(batch),
    take: async (batches) => (await ingestBatches(catalog, batches)).flatMap(({ after }) => membership.set(after)),
    dropAllBut: async (ids) => (await removeBatchesNotIn(catalog, ids)).flatMap((batch) => membership.remove(batch.id)),
    pagesOf: (batch) => batch.pages.map((page) => page.pageId),
    reindex: (pageIds) => reindexPages(catalog, search, pageIds, context),
    onError: options.onError,
  });
}
