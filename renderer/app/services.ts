import type { ArkivaApi } from '../../common/api/contract';
import { ArkivaCatalog } from '../catalog/catalog-db';
import { createErrorStore, type ErrorStore } from '../errors/error-store';
import { openInThreadPort } from '../search/in-thread-port';
import { createPageSearch, type PageSearch } from '../search/page-search';
import { openWorkerPort } from '../search/worker-port';
import { startArchiveSync, type ArchiveSync } from '../sync/archive-sync';
import { reindexFromCatalog } from '../sync/reindex';

/** Everything the UI works with, created once per window. */
export interface AppServices {
  readonly api: ArkivaApi;
  readonly catalog: ArkivaCatalog;
  readonly search: PageSearch;
  readonly sync: ArchiveSync;
  readonly errors: ErrorStore;
}

export function createAppServices(api: ArkivaApi): AppServices {
  const errors = createErrorStore();
  const catalog = new ArkivaCatalog();
  const search: PageSearch = createPageSearch({
    open: openWorkerPort,
    fallback: openInThreadPort,
    onError: (error) => errors.report('errors.context.search-index', error),
    onReset: () => {
      reindexFromCatalog(catalog, search).catch((error: unknown) => errors.report('errors.context.catalog', error));
    },
  });
  const sync = startArchiveSync({
    api,
    catalog,
    search,
    onError: (context, error) =>
      errors.report(context === 'listing' ? 'errors.context.listing' : 'errors.context.page-event', error),
  });
  return { api, catalog, search, sync, errors };
}
