import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DocumentRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { ArkivaCatalog } from '../catalog/catalog-db';
import { ingestDocuments } from '../catalog/documents';
import { ingestPages } from '../catalog/ingest';
import { openInThreadPort } from '../search/in-thread-port';
import { toIndexedPage } from '../search/indexed-page';
import { createPageSearch, type PageSearch } from '../search/page-search';
import { INGEST_BATCH } from '../sync/archive-sync';
import { batchOf } from '../test-support/batches';
import { fakeApi } from '../test-support/fake-api';
import { documentRecord, pendingPage, recognizedPage } from '../test-support/pages';
import { rebuildCaches, type RebuildProgress } from './rebuild-caches';

let catalog: ArkivaCatalog;
let search: PageSearch;
let dbCount = 0;

beforeEach(() => {
  catalog = new ArkivaCatalog(`rebuild-test-${++dbCount}`);
  search = createPageSearch({ open: openInThreadPort, fallback: openInThreadPort, onError: vi.fn(), onReset: vi.fn() });
});

afterEach(async () => {
  search.close();
  await catalog.delete();
});

const found = async (query: string) => (await search.search(query)).map((hit) => hit.pageId).sort();

const autopsyPage = recognizedPage(pendingPage(), 'Raport i autopsisë, Instituti i Mjekësisë Ligjore');
const statementPage = recognizedPage(pendingPage(), 'Deklaratë e dëshmitarit në Pejë');
const loosePage = pendingPage();
const autopsy: DocumentRecord = {
  ...documentRecord('3f2a9c1e-0000-4000-8000-00000000000a', { caseNumber: '2019/0457-IML', persons: ['Dragan Živković'], title: 'Dosja e autopsisë' }),
  revision: 3,
  pages: [
    { pageId: autopsyPage.id, rotation: 0 },
    { pageId: statementPage.id, rotation: 90 },
  ],
};
const merged: DocumentRecord = { ...documentRecord('3f2a9c1e-0000-4000-8000-00000000000b', { persons: ['Agim Gashi'] }), deleted: true, revision: 2 };

describe('rebuildCaches', () => {
  it('replaces the catalog and the index with exactly what the archive holds, pages found by their document’s case number', async () => {
    // What a damaged cache might hold: a page and a document the archive does not have, a person nobody names.
    const leftover = recognizedPage(pendingPage(), 'Mbetje nga një arkiv tjetër');
    const stale = { ...documentRecord('3f2a9c1e-0000-4000-8000-00000000000c', { persons: ['Ilir Berisha'] }), pages: [{ pageId: leftover.id, rotation: 0 as const }] };
    await ingestPages(catalog, [leftover]);
    await ingestDocuments(catalog, [stale]);
    search.upsert([toIndexedPage(leftover, stale)]);
    expect(await found('mbetje')).toEqual([leftover.id]);

    const { api } = fakeApi({ 'archive.rebuild': async () => ({ pages: [autopsyPage, statementPage, loosePage], documents: [autopsy, merged], unreadable: [] }) });
    const result = await rebuildCaches({ api, catalog, search });

    expect(result).toEqual({ pages: 3, documents: 2, liveDocuments: 1, persons: 1, unreadable: [] });
    expect((await catalog.pages.toCollection().primaryKeys()).sort()).toEqual([autopsyPage.id, statementPage.id, loosePage.id].sort());
    expect((await catalog.documents.toArray()).map((document) => document.id).sort()).toEqual([autopsy.id, merged.id]);
    expect((await catalog.persons.toArray()).map((person) => person.name)).toEqual(['Dragan Živković']);
    expect(await found('mbetje')).toEqual([]);
    expect(await found('2019/0457-IML')).toEqual([autopsyPage.id, statementPage.id].sort());
    expect(await found('Живковић')).toEqual([autopsyPage.id, statementPage.id].sort());
  });

  it('keeps each page’s batch in the index, from the batches the catalog holds', async () => {
    await catalog.batches.put({ ...batchOf([loosePage.id], { state: 'sealed' }), pageIds: [loosePage.id] });
    const withText = recognizedPage(loosePage, 'Procesverbal');
    const { api } = fakeApi({ 'archive.rebuild': async () => ({ pages: [withText], documents: [], unreadable: [] }) });
    await rebuildCaches({ api, catalog, search });
    expect((await search.search('procesverbal', { filters: { batchState: 'sealed' } })).map((hit) => hit.pageId)).toEqual([loosePage.id]);
  });

  it('reports its progress, pages in the sync’s chunks, and the files the archive could not read', async () => {
    const pages = Array.from({ length: INGEST_BATCH + 3 }, () => pendingPage());
    const unreadable = [{ path: 'documents/3f/3f2a9c1e-0000-4000-8000-00000000000d/0002.json', reason: 'Unexpected end of JSON input' }];
    const { api } = fakeApi({ 'archive.rebuild': async () => ({ pages, documents: [autopsy], unreadable }) });
    const progress: RebuildProgress[] = [];
    const result = await rebuildCaches({ api, catalog, search }, (step) => progress.push(step));
    expect(progress).toEqual([
      { phase: 'reading' },
      { phase: 'clearing' },
      { phase: 'documents', total: 1 },
      { phase: 'pages', done: 0, total: pages.length },
      { phase: 'pages', done: INGEST_BATCH, total: pages.length },
      { phase: 'pages', done: pages.length, total: pages.length },
    ]);
    expect(result.unreadable).toEqual(unreadable);
    expect(result.pages).toBe(pages.length);
  });

  it('clears nothing when the archive cannot be read', async () => {
    await ingestPages(catalog, [autopsyPage]);
    const { api } = fakeApi({ 'archive.rebuild': async () => Promise.reject(new ApiError('internal', 'EACCES: permission denied, scandir pages')) });
    await expect(rebuildCaches({ api, catalog, search })).rejects.toThrow('permission denied');
    expect(await catalog.pages.count()).toBe(1);
  });
});
