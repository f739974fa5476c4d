import type { ArkivaApi } from '../../common/api/contract';
import { ArkivaCatalog } from '../catalog/catalog-db';
import { createErrorStore, type ErrorStore } from '../errors/error-store';
import { createInThreadPort } from '../search/in-thread-port';
import { createPageSearch, type PageSearch } from '../search/page-search';
import { createSnapshotStore } from '../search/snapshot-store';
import { openWorkerPort } from '../search/worker-port';
import { startArchiveSync, type ArchiveSync } from '../sync/archive-sync';
import { startAuditSync, type AuditSync } from '../sync/audit-sync';
import { createBatchMembership } from '../sync/batch-membership';
import { startBatchSync, type BatchSync } from '../sync/batch-sync';
import { createDocumentMembership } from '../sync/document-membership';
import { startDocumentSync, type DocumentSync } from '../sync/document-sync';
import { reindexFromCatalog } from '../sync/reindex';

/** Everything the UI works with, created once per window. */
export interface AppServices {
  readonly api: ArkivaApi;
  readonly catalog: ArkivaCatalog;
  readonly search: PageSearch;
  readonly sync: ArchiveSync;
  readonly documentSync: DocumentSync;
  readonly batchSync: BatchSync;
  readonly auditSync: AuditSync;
  readonly errors: ErrorStore;
}

export function createAppServices(api: ArkivaApi): AppServices {
  const errors = createErrorStore();
  const catalog = new ArkivaCatalog();
  const membership = createDocumentMembership();
  const batchMembership = createBatchMembership();
  const pageContext = { documentOf: membership.documentOf, batchOf: batchMembership.batchOf };
  const search: PageSearch = createPageSearch({
    open: openWorkerPort,
    fallback: createInThreadPort(createSnapshotStore()),
    onError: (error) => errors.report('errors.context.search-index', error),
    onReset: () => {
      reindexFromCatalog(catalog, search, pageContext).catch((error: unknown) => errors.report('errors.context.catalog', error));
    },
  });
  const sync = startArchiveSync({
    api,
    catalog,
    search,
    ...pageContext,
    onError: (context, error) =>
      errors.report(context === 'listing' ? 'errors.context.listing' : 'errors.context.page-event', error),
  });
  const documentSync = startDocumentSync({
    api,
    catalog,
    search,
    membership,
    batchOf: batchMembership.batchOf,
    onError: (error) => errors.report('errors.context.documents', error),
  });
  const batchSync = startBatchSync({
    api,
    catalog,
    search,
    membership: batchMembership,
    documentOf: membership.documentOf,
    onError: (error) => errors.report('errors.context.batches', error),
  });
  const auditSync = startAuditSync({ api, catalog, onError: (error) => errors.report('errors.context.audit', error) });
  return { api, catalog, search, sync, documentSync, batchSync, auditSync, errors };
}
