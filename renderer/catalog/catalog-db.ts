import { Dexie, type DexieOptions, type EntityTable } from 'dexie';
import type { DocumentRecord, PageRecord } from '../../common/api/contract';

export const CATALOG_DB_NAME = 'arkiva-catalog';

/** A value the workstation keeps for itself (search preferences, …). */
export interface SettingRecord {
  readonly key: string;
  readonly value: unknown;
}

/**
 * The renderer's cache of the archive. The services' archive on disk is the record; everything
 * here can be dropped and rebuilt from `pages.list` and `documents.list`, so a schema change may
 * simply start over. Each version lists its stores in full; Dexie migrates between them.
 */
export class ArkivaCatalog extends Dexie {
  // `declare` so the class field does not overwrite the table Dexie installs in the constructor.
  declare pages: EntityTable<PageRecord, 'id'>;
  declare documents: EntityTable<DocumentRecord, 'id'>;
  declare settings: EntityTable<SettingRecord, 'key'>;

  constructor(name: string = CATALOG_DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({ pages: 'id, status, capturedAt' });
    // Documents (issue 5): pages grouped, with case number, type, date, institution and persons.
    this.version(2).stores({
      pages: 'id, status, capturedAt',
      documents: 'id, updatedAt, metadata.caseNumber, metadata.date',
      settings: 'key',
    });
  }
}
