import type { BatchRecord } from '../../common/api/contract';
import type { ArkivaCatalog, CatalogBatch } from './catalog-db';
import { sameValue } from './same-value';

export interface BatchChange {
  /** What the catalog held before, if anything. */
  readonly before: CatalogBatch | undefined;
  readonly after: CatalogBatch;
}

export function toCatalogBatch(batch: BatchRecord): CatalogBatch {
  return { ...batch, pageIds: batch.pages.map((page) => page.pageId) };
}

/**
 * Brings batches into the catalog, keyed by id. A batch carries no revision, but its history
 * only grows (every change appends an entry), so a report with a shorter history than the one
 * held is a late one and changes nothing. Returns the batches that changed.
 */
export async function ingestBatches(catalog: ArkivaCatalog, batches: readonly BatchRecord[]): Promise<BatchChange[]> {
  if (batches.length === 0) return [];
  return catalog.transaction('rw', catalog.batches, async () => {
    const ids = [...new Set(batches.map((batch) => batch.id))];
    const stored = await catalog.batches.bulkGet(ids);
    const current = new Map<string, CatalogBatch>();
    ids.forEach((id, index) => {
      const held = stored[index];
      if (held) current.set(id, held);
    });
    const changes = new Map<string, BatchChange>();
    for (const incoming of batches) {
      const held = current.get(incoming.id);
      if (held && (held.history.length > incoming.history.length || sameValue(held, toCatalogBatch(incoming)))) continue;
      const after = toCatalogBatch(incoming);
      changes.set(incoming.id, { before: changes.get(incoming.id)?.before ?? held, after });
      current.set(incoming.id, after);
    }
    if (changes.size > 0) await catalog.batches.bulkPut([...changes.values()].map((change) => change.after));
    return [...changes.values()];
  });
}

/** Drops batches the services no longer list; returns them. */
export async function removeBatchesNotIn(catalog: ArkivaCatalog, keep: ReadonlySet<string>): Promise<CatalogBatch[]> {
  return catalog.transaction('rw', catalog.batches, async () => {
    const gone = (await catalog.batches.toArray()).filter((batch) => !keep.has(batch.id));
    if (gone.length > 0) await catalog.batches.bulkDelete(gone.map((batch) => batch.id));
    return gone;
  });
}
