import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ArkivaCatalog } from '../catalog/catalog-db';
import { openInThreadPort } from '../search/in-thread-port';
import { createPageSearch, type PageSearch } from '../search/page-search';
import { pendingPage, recognizedPage } from '../test-support/pages';
import { INDEX_CHUNK, reindexFromCatalog } from './reindex';

let catalog: ArkivaCatalog;
let dbCount = 0;

beforeEach(() => {
  catalog = new ArkivaCatalog(`reindex-test-${++dbCount}`);
});
let search: PageSearch | undefined;

afterEach(async () => {
  search?.close();
  await catalog.delete();
});

describe('reindexFromCatalog', () => {
  it('makes every page with OCR text in the catalog findable again, in bounded messages', async () => {
    const pages = Array.from({ length: INDEX_CHUNK * 2 + 5 }, (_, i) =>
      i % 2 === 0 ? recognizedPage(pendingPage(), `Dosja ${i} e Pejës`) : pendingPage(),
    );
    await catalog.pages.bulkPut(pages);
    const index = createPageSearch({ open: openInThreadPort, fallback: openInThreadPort, onError: vi.fn(), onReset: vi.fn() });
    search = index;
    const upsert = vi.spyOn(index, 'upsert');

    await reindexFromCatalog(catalog, index);

    const hits = await index.search('pejes', 10_000);
    expect(hits).toHaveLength(pages.filter((page) => page.status === 'recognized').length);
    expect(Math.max(...upsert.mock.calls.map(([batch]) => batch.length))).toBeLessThanOrEqual(INDEX_CHUNK);
  });
});
