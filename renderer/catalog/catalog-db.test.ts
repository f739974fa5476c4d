import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { ArkivaCatalog } from './catalog-db';
import { pendingPage, recognizedPage } from '../test-support/pages';

describe('ArkivaCatalog', () => {
  it('finds pages by status and orders them by capture time', async () => {
    const catalog = new ArkivaCatalog('catalog-db-test-indexes');
    try {
      const older = pendingPage({ capturedAt: '2025-01-01T00:00:00.000Z' });
      const newer = recognizedPage(pendingPage({ capturedAt: '2025-02-01T00:00:00.000Z' }), 'text');
      await catalog.pages.bulkPut([newer, older]);
      expect((await catalog.pages.where('status').equals('pending-ocr').toArray()).map((p) => p.id)).toEqual([older.id]);
      expect((await catalog.pages.orderBy('capturedAt').reverse().toArray()).map((p) => p.id)).toEqual([newer.id, older.id]);
    } finally {
      await catalog.delete();
    }
  });
});
