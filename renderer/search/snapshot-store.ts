import { Dexie, type EntityTable } from 'dexie';
import type { IndexSnapshot } from './page-index';
import type { SnapshotStore } from './index-host';

export const SEARCH_INDEX_DB_NAME = 'arkiva-search-index';

interface StoredSnapshot {
  readonly key: 'current';
  readonly snapshot: IndexSnapshot;
  readonly savedAt: string;
}

/**
 * The index snapshot in its own database, so the search worker opens it without touching the
 * catalog's schema, and dropping it (a stale or damaged index) never costs the catalog.
 * Typed arrays are stored as they are (structured clone), so loading parses no JSON for postings.
 */
class SearchIndexDb extends Dexie {
  declare snapshots: EntityTable<StoredSnapshot, 'key'>;

  constructor(name: string) {
    super(name);
    this.version(1).stores({ snapshots: 'key' });
  }
}

export function createSnapshotStore(name: string = SEARCH_INDEX_DB_NAME): SnapshotStore & { delete(): Promise<void> } {
  const db = new SearchIndexDb(name);
  return {
    async load() {
      return (await db.snapshots.get('current'))?.snapshot;
    },
    async save(snapshot) {
      await db.snapshots.put({ key: 'current', snapshot, savedAt: new Date().toISOString() });
    },
    async clear() {
      await db.snapshots.clear();
    },
    async delete() {
      await db.delete();
    },
  };
}
