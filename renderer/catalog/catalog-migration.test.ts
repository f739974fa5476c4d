import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../common/api/contract';
import { pendingPage, recognizedPage } from '../test-support/pages';
import { ArkivaCatalog } from './catalog-db';

function document(id: string, persons: string[], deleted = false): DocumentRecord {
  return {
    id,
    revision: 1,
    createdAt: '2026-11-01T08:00:00.000Z',
    updatedAt: '2026-11-01T08:00:00.000Z',
    deleted,
    pages: [],
    metadata: { persons, sensitivity: 'internal', tags: [] },
  };
}

describe('catalog version 3', () => {
  it('opens a version 2 database with its pages, documents and settings kept, and the persons its documents name', async () => {
    const name = 'catalog-migration-v2';
    const page = recognizedPage(pendingPage(), 'Procesverbal');
    const first = document('0b1c2d3e-0000-4000-8000-000000000001', ['Agim Gashi', 'Dragan Živković']);
    const second = document('0b1c2d3e-0000-4000-8000-000000000002', ['Agim  Gashi ']);
    const gone = document('0b1c2d3e-0000-4000-8000-000000000003', ['Nobody Named'], true);

    // The catalog exactly as version 2 declared it.
    const v2 = new Dexie(name);
    v2.version(1).stores({ pages: 'id, status, capturedAt' });
    v2.version(2).stores({ pages: 'id, status, capturedAt', documents: 'id, updatedAt, metadata.caseNumber, metadata.date', settings: 'key' });
    await v2.open();
    await v2.table('pages').put(page);
    await v2.table('documents').bulkPut([first, second, gone]);
    await v2.table('settings').put({ key: 'search.sort', value: 'newest' });
    v2.close();

    const catalog = new ArkivaCatalog(name);
    try {
      await catalog.open();
      expect(catalog.verno).toBe(3);
      expect(await catalog.pages.toArray()).toEqual([page]);
      expect((await catalog.documents.toArray()).map((held) => held.id)).toEqual([first.id, second.id, gone.id]);
      expect(await catalog.settings.get('search.sort')).toEqual({ key: 'search.sort', value: 'newest' });
      expect(await catalog.persons.orderBy('name').toArray()).toEqual([
        { name: 'Agim Gashi', folded: 'agim gashi', documentIds: [first.id, second.id] },
        { name: 'Dragan Živković', folded: 'dragan zivkovic', documentIds: [first.id] },
      ]);
      expect(await catalog.batches.count()).toBe(0);
      expect(await catalog.auditEvents.count()).toBe(0);
    } finally {
      await catalog.delete();
    }
  });

  it('creates an empty catalog at version 3 with every table', async () => {
    const catalog = new ArkivaCatalog('catalog-migration-fresh');
    try {
      await catalog.open();
      expect(catalog.verno).toBe(3);
      expect(catalog.tables.map((table) => table.name).sort()).toEqual(['auditEvents', 'batches', 'documents', 'pages', 'persons', 'settings']);
    } finally {
      await catalog.delete();
    }
  });
});
