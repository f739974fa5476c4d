import type { ArkivaApi, BatchRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { ingestBatches, removeBatchesNotIn } from '../catalog/batches';
import type { ArkivaCatalog } from '../catalog/catalog-db';
import type { PageSearch } from '../search/page-search';
import type { BatchMembership } from './batch-membership';
import { reindexPages, type DocumentOf } from './reindex';
import { createSerialBatches } from './serial-batches';

export interface BatchSyncOptions {
  api: ArkivaApi;
  catalog: ArkivaCatalog;
  search: PageSearch;
  membership: BatchMembership;
  /** Pages re-indexed for their batch keep their document's fields. */
  documentOf?: DocumentOf;
  onError: (error: unknown) => void;
}

export interface BatchSync {
  /** Resolves once the batch listing has been taken in (or the services have no batches). */
  readonly loaded: Promise<void>;
  stop(): void;
}

/**
 * Keeps batches in the catalog and each page's batch (and its state: open … synced) in the index,
 * so the search filters by batch and sync state follow the batches. Follows `batch.changed`,
 * lists batches at start and after a reconnect, and re-indexes exactly the pages whose batch
 * changed: those in it and those that left it. Services without batches answer `unknown-method`;
 * pages are then indexed as in no batch.
 */
export function startBatchSync(options: BatchSyncOptions): BatchSync {
  const { api, catalog, search, membership, onError } = options;
  let stopped = false;
  const context = { batchOf: membership.batchOf, ...(options.documentOf ? { documentOf: options.documentOf } : {}) };

  const queue = createSerialBatches<BatchRecord>(async (batches) => {
    const touched = new Set<string>();
    for (const { after } of await ingestBatches(catalog, batches)) for (const id of membership.set(after)) touched.add(id);
    await reindexPages(catalog, search, touched, context);
  });

  const unsubscribers = [
    api.on('batch.changed', ({ batch }) => {
      queue.enqueue([batch]).catch(onError);
    }),
  ];

  const takeListing = async (): Promise<void> => {
    // What the catalog already knows, so pages are indexed with their batches before the listing lands.
    for (const batch of await catalog.batches.toArray()) membership.set(batch);
    let listed: BatchRecord[];
    try {
      ({ batches: listed } = await api['batches.list']({}));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unknown-method') return;
      throw error;
    }
    if (stopped) return;
    await queue.enqueue(listed);
    const gone = await removeBatchesNotIn(catalog, new Set(listed.map((batch) => batch.id)));
    const touched = new Set<string>();
    for (const batch of gone) for (const id of membership.remove(batch.id)) touched.add(id);
    // Pages of unchanged batches too: the index may hold them without their batch (first run).
    for (const batch of listed) for (const page of batch.pages) touched.add(page.pageId);
    await reindexPages(catalog, search, touched, context);
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
