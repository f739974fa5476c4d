import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PageRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { ArkivaCatalog } from '../catalog/catalog-db';
import { openInThreadPort } from '../search/in-thread-port';
import { createPageSearch, type PageSearch } from '../search/page-search';
import { fakeApi } from '../test-support/fake-api';
import { pendingPage, recognizedPage } from '../test-support/pages';
import { INGEST_BATCH, startArchiveSync, type ArchiveSync } from './archive-sync';

let catalog: ArkivaCatalog;
let search: PageSearch;
let sync: ArchiveSync | undefined;
let dbCount = 0;

beforeEach(() => {
  catalog = new ArkivaCatalog(`sync-test-${++dbCount}`);
  search = createPageSearch({ open: openInThreadPort, fallback: openInThreadPort, onError: vi.fn(), onReset: vi.fn() });
});

afterEach(async () => {
  sync?.stop();
  search.close();
  await catalog.delete();
});

const found = async (query: string) => (await search.search(query)).map((hit) => hit.pageId);

/** A listing the test answers when it chooses. */
function heldListing() {
  let answer: (pages: PageRecord[]) => void = () => undefined;
  const handler = () => new Promise<{ pages: PageRecord[] }>((resolve) => (answer = (pages) => resolve({ pages })));
  return { handler, answer: (pages: PageRecord[]) => answer(pages) };
}

describe('startArchiveSync', () => {
  it('takes the whole archive listing into the catalog and the index at start', async () => {
    const pending = pendingPage();
    const recognized = recognizedPage(pendingPage(), 'Raport nga Mitrovicë');
    const { api } = fakeApi({ 'pages.list': async () => ({ pages: [pending, recognized] }) });
    sync = startArchiveSync({ api, catalog, search, onError: vi.fn() });
    await sync.loaded;
    expect(await catalog.pages.count()).toBe(2);
    expect(await found('mitrovice')).toEqual([recognized.id]);
  });

  it('takes a large listing in several transactions, so the UI thread gets turns between them', async () => {
    const pages = Array.from({ length: INGEST_BATCH * 2 + 1 }, () => pendingPage());
    const { api } = fakeApi({ 'pages.list': async () => ({ pages }) });
    const transaction = vi.spyOn(catalog, 'transaction');
    sync = startArchiveSync({ api, catalog, search, onError: vi.fn() });
    await sync.loaded;
    expect(await catalog.pages.count()).toBe(pages.length);
    // Three for the pages, one for dropping what the archive lacks.
    expect(transaction).toHaveBeenCalledTimes(4);
  });

  it('listens before it lists, so a page recognized during start-up is neither missed nor regressed by the listing', async () => {
    const listing = heldListing();
    const fake = fakeApi({ 'pages.list': listing.handler });
    sync = startArchiveSync({ api: fake.api, catalog, search, onError: vi.fn() });
    const pending = pendingPage();
    const recognized = recognizedPage(pending, 'Gjakovë');

    fake.emit('page.recognized', { page: recognized });
    listing.answer([pending]);
    await sync.loaded;

    expect((await catalog.pages.get(pending.id))?.status).toBe('recognized');
    expect(await found('gjakove')).toEqual([pending.id]);
  });

  it('takes each page event into the catalog and the index', async () => {
    const fake = fakeApi({ 'pages.list': async () => ({ pages: [] }) });
    sync = startArchiveSync({ api: fake.api, catalog, search, onError: vi.fn() });
    await sync.loaded;
    const pending = pendingPage();

    fake.emit('page.stored', { page: pending });
    await vi.waitFor(async () => expect((await catalog.pages.get(pending.id))?.status).toBe('pending-ocr'));

    fake.emit('page.recognized', { page: recognizedPage(pending, 'Ferizaj') });
    await vi.waitFor(async () => expect(await found('ferizaj')).toEqual([pending.id]));

    fake.emit('page.stored', { page: pending });
    await sync.ingest([]);
    expect((await catalog.pages.get(pending.id))?.status).toBe('recognized');
    expect(await found('ferizaj')).toEqual([pending.id]);
  });

  it('records a failed page with its reason', async () => {
    const fake = fakeApi({ 'pages.list': async () => ({ pages: [] }) });
    sync = startArchiveSync({ api: fake.api, catalog, search, onError: vi.fn() });
    const page: PageRecord = { ...pendingPage(), status: 'failed', failure: 'image too small' };
    fake.emit('page.failed', { page });
    await vi.waitFor(async () => expect(await catalog.pages.get(page.id)).toEqual(page));
  });

  it('reports a failed listing and asks again until it gets one', async () => {
    const page = pendingPage();
    let attempts = 0;
    const { api } = fakeApi({
      'pages.list': async () => {
        if (++attempts < 3) throw new ApiError('unavailable', 'Cannot reach the Arkiva services.');
        return { pages: [page] };
      },
    });
    const onError = vi.fn();
    sync = startArchiveSync({ api, catalog, search, onError, retryDelaysMs: [1] });
    await sync.loaded;
    expect(attempts).toBe(3);
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenCalledWith('listing', expect.objectContaining({ code: 'unavailable' }));
    expect(await catalog.pages.count()).toBe(1);
  });

  it('reports a page event it could not record', async () => {
    const fake = fakeApi({ 'pages.list': async () => ({ pages: [] }) });
    const onError = vi.fn();
    sync = startArchiveSync({ api: fake.api, catalog, search, onError });
    await sync.loaded;
    catalog.close();
    fake.emit('page.stored', { page: pendingPage() });
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith('page-event', expect.anything()));
  });

  it('drops pages the archive no longer lists, but not pages stored while the listing was under way', async () => {
    const leftover = recognizedPage(pendingPage(), 'Dosja e vjetër');
    const listed = pendingPage();
    const storedMeanwhile = pendingPage();
    await catalog.pages.put(leftover);
    const listing = heldListing();
    const fake = fakeApi({ 'pages.list': listing.handler });
    sync = startArchiveSync({ api: fake.api, catalog, search, onError: vi.fn() });

    fake.emit('page.stored', { page: storedMeanwhile });
    listing.answer([listed]);
    await sync.loaded;

    expect((await catalog.pages.toArray()).map((page) => page.id).sort()).toEqual([listed.id, storedMeanwhile.id].sort());
    expect(await found('vjeter')).toEqual([]);
  });

  it('lists the archive again when a dropped connection comes back, so events missed meanwhile are not lost', async () => {
    const pending = pendingPage();
    let listing: PageRecord[] = [pending];
    const fake = fakeApi({ 'pages.list': async () => ({ pages: listing }) });
    sync = startArchiveSync({ api: fake.api, catalog, search, onError: vi.fn() });
    await sync.loaded;

    // While the line was down the page was recognized; its event never arrived.
    listing = [recognizedPage(pending, 'Podujevë')];
    fake.reconnect();

    await vi.waitFor(async () => expect((await catalog.pages.get(pending.id))?.status).toBe('recognized'));
    expect(await found('podujeve')).toEqual([pending.id]);
  });

  it('stops listening when stopped', async () => {
    const fake = fakeApi({ 'pages.list': async () => ({ pages: [] }) });
    sync = startArchiveSync({ api: fake.api, catalog, search, onError: vi.fn() });
    expect(fake.listenerCount()).toBe(3);
    sync.stop();
    expect(fake.listenerCount()).toBe(0);
    const calls = fake.calls.length;
    fake.reconnect();
    expect(fake.calls.length).toBe(calls);
  });
});
