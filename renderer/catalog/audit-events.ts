import type { AuditEventRecord } from '../../common/api/contract';
import type { ArkivaCatalog } from './catalog-db';

/** Adds entries of the trail; an entry already held is replaced by the services' copy. */
export async function storeAuditEvents(catalog: ArkivaCatalog, entries: readonly AuditEventRecord[]): Promise<void> {
  if (entries.length > 0) await catalog.auditEvents.bulkPut([...entries]);
}

/** The services' trail is not the one the catalog followed (another archive): start over. */
export async function clearAuditEvents(catalog: ArkivaCatalog): Promise<void> {
  await catalog.auditEvents.clear();
}
