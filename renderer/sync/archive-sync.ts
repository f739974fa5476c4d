import type { ArkivaApi, PageRecord } from '../../common/api/contract';
import type { ArkivaCatalog } from '../catalog/catalog-db';
import { removePagesNotIn } from '../catalog/prune';
import { withoutText } from '../search/indexed-page';
import type { PageSearch } from '../search/page-search';
import { ingestAndIndex, type BatchOf, type DocumentOf } from './reindex';
import { createSerialBatches } from './serial-batches';
/**
 * Pages per catalog transaction. A listing of thousands of pages is taken in several
 * transactions, so the UI thread gets its turns between them.
 */
export const INGEST_BATCH = 500;
/** Waits before asking for the listing again after it failed (the services may still be starting). */
export const LISTING_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export type SyncErrorContext = 'listing' | 'page-event';

export interface ArchiveSyncOptions {
  api: ArkivaApi;
  catalog: ArkivaCatalog;
  search: PageSearch;
  onError: (context: SyncErrorContext, error: unknown) => void;
  retryDelaysMs?: readonly number[];
  /** The document a page belongs to, so pages are indexed with their document's fields. */
  documentOf?: DocumentOf;
  /** The batch a page is filed in, so pages are indexed with their batch and its state. */
  batchOf?: BatchOf;
}

export interface ArchiveSync {
  /** Resolves once the catalog and the index hold the archive's full listing, and nothing the archive lacks. */
  readonly loaded: Promise<void>;
  /** Brings pages in by the same path as events (e.g. those an import call returned). */
  ingest(pages: readonly PageRecord[]): Promise<void>;
  stop(): void;
}

/**
 * Keeps the catalog and the search index in step with the archive: listens for page events
 * first (so nothing stored during start-up is missed), then takes in the full listing. Everything
 * goes through one serial queue, and ingest is idempotent with status precedence, so the order
 * in which the listing and events land does not matter. After the listing, the catalog drops what
 * the archive does not hold.
 */
export function startArchiveSync(options: ArchiveSyncOptions): ArchiveSync {
  const { api, catalog, search, onError } = options;
  const retryDelays = options.retryDelaysMs ?? LISTING_RETRY_DELAYS_MS;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const queue = createSerialBatches<PageRecord>((pages) => ingestAndIndex(catalog, search, pages, options), INGEST_BATCH);

  // Pages heard of since start: stored after the listing was taken, so the listing may lack them.
  const heardOf = new Set<string>();
  const ingest = (pages: readonly PageRecord[]) => {
    for (const page of pages) heardOf.add(page.id);
    return queue.enqueue(pages);
  };

  const fromEvent = (payload: { page: PageRecord }) => {
    ingest([payload.page]).catch((error: unknown) => onError('page-event', error));
  };
  const unsubscribers = [
    api.on('page.stored', fromEvent),
    api.on('page.recognized', fromEvent),
    api.on('page.failed', fromEvent),
  ];

  const loaded = takeListing();
  // Events sent while the connection was down are lost; the archive still has their outcome.
  unsubscribers.push(api.onReconnect(() => void takeListing()));

  function takeListing(): Promise<void> {
    return new Promise<void>((resolve) => {
      const attempt = (failures: number) => {
        if (stopped) return;
        api['pages.list']({})
          .then(async ({ pages }) => {
            const chunks: Promise<void>[] = [];
            for (let start = 0; start < pages.length; start += INGEST_BATCH) {
              chunks.push(queue.enqueue(pages.slice(start, start + INGEST_BATCH)));
            }
            await Promise.all(chunks);
            const keep = new Set([...pages.map((page) => page.id), ...heardOf]);
            const gone = await removePagesNotIn(catalog, keep);
            search.upsert(gone.map(withoutText));
            // The index may have been restored from a snapshot holding pages the catalog never had.
            search.retain([...keep]);
          })
          .then(resolve, (error: unknown) => {
            if (stopped) return;
            onError('listing', error);
            const delay = retryDelays[Math.min(failures, retryDelays.length - 1)] ?? 30_000;
            retryTimer = setTimeout(() => attempt(failures + 1), delay);
          });
      };
      attempt(0);
    });
  }

  return {
    loaded,
    ingest,
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      for (const unsubscribe of unsubscribers) unsubscribe();
    },
  };
}
