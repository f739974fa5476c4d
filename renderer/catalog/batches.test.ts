import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchOf, changed } from '../test-support/batches';
import { pageId } from '../test-support/pages';
import { ingestBatches, removeBatchesNotIn } from './batches';
import { ArkivaCatalog } from './catalog-db';

let catalog: ArkivaCatalog;
let dbCount = 0;

beforeEach(async () => {
  catalog = new ArkivaCatalog(`batches-test-${++dbCount}`);
  await catalog.open();
});

afterEach(async () => {
  await catalog.delete();
});

describe('ingestBatches', () => {
  it('stores batches with their page ids, so the batches of a page can be looked up', async () => {
    const [a, b] = [pageId(), pageId()];
    const batch = batchOf([a, b]);
    const changes = await ingestBatches(catalog, [batch]);
    expect(changes).toEqual([{ before: undefined, after: { ...batch, pageIds: [a, b] } }]);
    expect((await catalog.batches.where('pageIds').equals(b).toArray()).map((held) => held.id)).toEqual([batch.id]);
    expect((await catalog.batches.where('state').equals('open').primaryKeys())).toEqual([batch.id]);
  });

  it('takes a later report of a batch and ignores a late one with a shorter history, or the same one again', async () => {
    const batch = batchOf([pageId()]);
    const sealed = changed(batch, { state: 'sealed' });
    await ingestBatches(catalog, [batch]);
    expect((await ingestBatches(catalog, [sealed])).map((change) => [change.before?.state, change.after.state])).toEqual([['open', 'sealed']]);
    expect(await ingestBatches(catalog, [batch])).toEqual([]);
    expect(await ingestBatches(catalog, [structuredClone(sealed)])).toEqual([]);
    expect((await catalog.batches.get(batch.id))?.state).toBe('sealed');
  });
});

describe('removeBatchesNotIn', () => {
  it('drops the batches the services no longer list and returns them', async () => {
    const [kept, gone] = [batchOf([]), batchOf([pageId()])];
    await ingestBatches(catalog, [kept, gone]);
    expect((await removeBatchesNotIn(catalog, new Set([kept.id]))).map((batch) => batch.id)).toEqual([gone.id]);
    expect(await catalog.batches.toCollection().primaryKeys()).toEqual([kept.id]);
  });
});
