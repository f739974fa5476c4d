import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BatchRecord } from '../../common/api/contract';
import { ArkivaCatalog } from '../catalog/catalog-db';
import type { SearchFilters } from '../search/indexed-page';
import { openInThreadPort } from '../search/in-thread-port';
import { createPageSearch, type PageSearch } from '../search/page-search';
import { batchOf, changed } from '../test-support/batches';
import { fakeApi } from '../test-support/fake-api';
import { pendingPage, recognizedPage } from '../test-support/pages';
import { startArchiveSync } from './archive-sync';
import { createBatchMembership } from './batch-membership';
import { startBatchSync } from './batch-sync';
import { createDocumentMembership } from './document-membership';
import { startDocumentSync } from './document-sync';

let catalog: ArkivaCatalog;
let search: PageSearch;
let dbCount = 0;
const stops: Array<() => void> = [];

beforeEach(() => {
  catalog = new ArkivaCatalog(`batch-sync-test-${++dbCount}`);
  search = createPageSearch({ open: openInThreadPort, fallback: openInThreadPort, onError: vi.fn(), onReset: vi.fn() });
});

afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  search.close();
  await catalog.delete();
});

const first = recognizedPage(pendingPage(), 'Procesverbal nga Prishtina.');
const second = recognizedPage(pendingPage(), 'Procesverbal nga Peja.');
const loose = recognizedPage(pendingPage(), 'Procesverbal nga Gjakova.');

/** What `batches.list` answers when called; null for services without batches. */
let listing: BatchRecord[] | null = null;

async function start(batches: BatchRecord[] | null) {
  listing = batches;
  const membership = createBatchMembership();
  const documents = createDocumentMembership();
  const fake = fakeApi({
    'pages.list': async () => ({ pages: [first, second, loose] }),
    'documents.list': async () => ({ documents: [] }),
    ...(batches ? { 'batches.list': async () => ({ batches: listing ?? [] }) } : {}),
  });
  const onError = vi.fn();
  const pages = startArchiveSync({ api: fake.api, catalog, search, onError, documentOf: documents.documentOf, batchOf: membership.batchOf });
  const docs = startDocumentSync({ api: fake.api, catalog, search, membership: documents, batchOf: membership.batchOf, onError });
  const sync = startBatchSync({ api: fake.api, catalog, search, membership, documentOf: documents.documentOf, onError });
  stops.push(pages.stop, docs.stop, sync.stop);
  await Promise.all([pages.loaded, docs.loaded, sync.loaded]);
  return { fake, onError, sync };
}

const found = async (filters: SearchFilters) => (await search.search('procesverbal', { filters })).map((hit) => hit.pageId).sort();

describe('startBatchSync', () => {
  it('brings the listed batches into the catalog and each page’s batch and state into the index', async () => {
    const batch = batchOf([first.id, second.id], { state: 'sealed' });
    const { onError } = await start([batch]);
    expect((await catalog.batches.toArray()).map((held) => [held.id, held.state, held.pageIds])).toEqual([[batch.id, 'sealed', [first.id, second.id]]]);
    expect(await found({ batchId: batch.id })).toEqual([first.id, second.id].sort());
    expect(await found({ batchState: 'sealed' })).toEqual([first.id, second.id].sort());
    expect(await found({ batchState: 'unbatched' })).toEqual([loose.id]);
    expect(onError).not.toHaveBeenCalled();
  });

  it('follows batch.changed: a new state, a page added and a page that left the batch are re-indexed', async () => {
    const batch = batchOf([first.id, second.id]);
    const { fake } = await start([batch]);
    const next = changed(batch, { state: 'queued', pages: [{ pageId: first.id, addedAt: '2026-11-10T09:00:00.000Z', addedBy: 'arta' }, { pageId: loose.id, addedAt: '2026-11-11T09:00:00.000Z', addedBy: 'arta' }] });
    fake.emit('batch.changed', { batch: next });
    await vi.waitFor(async () => expect(await found({ batchState: 'queued' })).toEqual([first.id, loose.id].sort()));
    expect(await found({ batchState: 'unbatched' })).toEqual([second.id]);
    expect(await found({ batchState: 'open' })).toEqual([]);
    expect((await catalog.batches.get(batch.id))?.pageIds).toEqual([first.id, loose.id]);
  });

  it('indexes the pages of a batch opened after start, found by its id', async () => {
    const { fake } = await start([]);
    const batch = batchOf([second.id]);
    fake.emit('batch.changed', { batch });
    await vi.waitFor(async () => expect(await found({ batchId: batch.id })).toEqual([second.id]));
    expect(await found({ batchState: 'unbatched' })).toEqual([first.id, loose.id].sort());
  });

  it('drops a batch the services no longer list after a reconnect, and its pages become unbatched', async () => {
    const batch = batchOf([first.id], { state: 'verified' });
    const { fake, onError } = await start([batch]);
    expect(await found({ batchState: 'verified' })).toEqual([first.id]);
    listing = [];
    fake.reconnect();
    await vi.waitFor(async () => expect(await catalog.batches.count()).toBe(0));
    await vi.waitFor(async () => expect(await found({ batchState: 'unbatched' })).toEqual([first.id, second.id, loose.id].sort()));
    expect(onError).not.toHaveBeenCalled();
  });

  it('leaves every page unbatched, without an error, when the services have no batches (an older host)', async () => {
    const { onError } = await start(null);
    expect(await found({ batchState: 'unbatched' })).toEqual([first.id, second.id, loose.id].sort());
    expect(onError).not.toHaveBeenCalled();
  });
});
