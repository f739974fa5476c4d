import { Dexie, type DexieOptions, type EntityTable, type Transaction } from 'dexie';
import type { AuditEventRecord, BatchRecord, DocumentRecord, PageRecord } from '../../common/api/contract';
import { personsOfDocuments, type PersonRecord } from './persons';

export const CATALOG_DB_NAME = 'arkiva-catalog';

/** A value the workstation keeps for itself (search preferences, …). */
export interface SettingRecord {
  readonly key: string;
  readonly value: unknown;
}

/** A batch as the services list it, with its page ids alongside so the catalog can look batches up by page. */
export interface CatalogBatch extends BatchRecord {
  readonly pageIds: readonly string[];
}

/**
 * The renderer's cache of the archive. The services' archive on disk is the record; everything
 * here can be dropped and rebuilt from `pages.list`, `documents.list`, `batches.list` and
 * `audit.list`, so a schema change may simply start over. Each version lists its stores in full;
 * Dexie migrates between them.
 */
export class ArkivaCatalog extends Dexie {
  // `declare` so the class field does not overwrite the table Dexie installs in the constructor.
  declare pages: EntityTable<PageRecord, 'id'>;
  declare documents: EntityTable<DocumentRecord, 'id'>;
  declare settings: EntityTable<SettingRecord, 'key'>;
  declare batches: EntityTable<CatalogBatch, 'id'>;
  declare persons: EntityTable<PersonRecord, 'name'>;
  declare auditEvents: EntityTable<AuditEventRecord, 'seq'>;

  constructor(name: string = CATALOG_DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({ pages: 'id, status, capturedAt' });
    // Documents (issue 5): pages grouped, with case number, type, date, institution and persons.
    this.version(2).stores({
      pages: 'id, status, capturedAt',
      documents: 'id, updatedAt, metadata.caseNumber, metadata.date',
      settings: 'key',
    });
    // Batches (issue 7), the persons the documents name (for a persons list and autocomplete:
    // `folded` answers prefix queries in any script or spelling), and the audit trail.
    this.version(3)
      .stores({
        pages: 'id, status, capturedAt',
        documents: 'id, updatedAt, metadata.caseNumber, metadata.date',
        settings: 'key',
        batches: 'id, state, createdAt, *pageIds',
        persons: 'name, folded, *documentIds',
        auditEvents: 'seq, at, kind, actor, subject',
      })
      // Documents already cached name persons too; batches and the audit trail arrive from the services.
      .upgrade(async (transaction: Transaction) => {
        const documents: DocumentRecord[] = await transaction.table('documents').toArray();
        await transaction.table('persons').bulkPut(personsOfDocuments(documents));
      });
  }
}
