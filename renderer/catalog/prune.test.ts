import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArkivaCatalog } from './catalog-db';
import { removePagesNotIn } from './prune';
import { pendingPage } from '../test-support/pages';

let catalog: ArkivaCatalog;
let dbCount = 0;

beforeEach(() => {
  catalog = new ArkivaCatalog(`prune-test-${++dbCount}`);
});

afterEach(async () => {
  await catalog.delete();
});

describe('removePagesNotIn', () => {
  it('drops exactly the pages not kept and says which', async () => {
    const [a, b, c] = [pendingPage(), pendingPage(), pendingPage()];
    await catalog.pages.bulkPut([a, b, c]);
    expect(await removePagesNotIn(catalog, new Set([a.id, c.id, 'not-held']))).toEqual([b.id]);
    expect((await catalog.pages.toArray()).map((page) => page.id).sort()).toEqual([a.id, c.id].sort());
  });

  it('leaves the catalog alone when everything is kept', async () => {
    const a = pendingPage();
    await catalog.pages.put(a);
    expect(await removePagesNotIn(catalog, new Set([a.id]))).toEqual([]);
    expect(await catalog.pages.count()).toBe(1);
  });
});
