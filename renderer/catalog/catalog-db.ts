import { Dexie, type DexieOptions, type EntityTable } from 'dexie';
import type { PageRecord } from '../../common/api/contract';

export const CATALOG_DB_NAME = 'arkiva-catalog';

/**
 * The renderer's cache of the archive. The services' archive on disk is the record; everything
 * here can be dropped and rebuilt from `pages.list`, so a schema change may simply start over.
 */
export class ArkivaCatalog extends Dexie {
  // `declare` so the class field does not overwrite the table Dexie installs in the constructor.
  declare pages: EntityTable<PageRecord, 'id'>;

  constructor(name: string = CATALOG_DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({ pages: 'id, status, capturedAt' });
  }
}
