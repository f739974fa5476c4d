import type { ArkivaCatalog } from './catalog-db';

/**
 * Drops catalog pages that are not in `keep`: after a full listing, a page the archive does not
 * list is a leftover (another archive directory served on the same address, say) and must not
 * be shown as if it existed. Returns the ids dropped.
 */
export async function removePagesNotIn(catalog: ArkivaCatalog, keep: ReadonlySet<string>): Promise<string[]> {
  return catalog.transaction('rw', catalog.pages, async () => {
    const held = await catalog.pages.toCollection().primaryKeys();
    const gone = held.filter((id) => !keep.has(id));
    if (gone.length > 0) await catalog.pages.bulkDelete(gone);
    return gone;
  });
}
