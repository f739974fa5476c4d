import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DocumentRecord } from '../../common/api/contract';
import { ArkivaCatalog } from '../catalog/catalog-db';
import { openInThreadPort } from '../search/in-thread-port';
import { createPageSearch, type PageSearch } from '../search/page-search';
import { fakeApi } from '../test-support/fake-api';
import { pendingPage, recognizedPage } from '../test-support/pages';
import { startArchiveSync } from './archive-sync';
import { createDocumentMembership } from './document-membership';
import { startDocumentSync } from './document-sync';

let catalog: ArkivaCatalog;
let search: PageSearch;
let dbCount = 0;
const stops: Array<() => void> = [];

beforeEach(() => {
  catalog = new ArkivaCatalog(`document-sync-test-${++dbCount}`);
  search = createPageSearch({ open: openInThreadPort, fallback: openInThreadPort, onError: vi.fn(), onReset: vi.fn() });
});

afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  search.close();
  await catalog.delete();
});

function documentOf(pageIds: string[], revision = 1, metadata: Partial<DocumentRecord['metadata']> = {}, deleted = false): DocumentRecord {
  return {
    id: '0b1c2d3e-0000-4000-8000-00000000000a',
    revision,
    createdAt: '2026-11-01T08:00:00.000Z',
    updatedAt: '2026-11-01T08:00:00.000Z',
    deleted,
    pages: pageIds.map((pageId) => ({ pageId, rotation: 0 as const })),
    metadata: { persons: ['Agim Gashi'], sensitivity: 'internal', tags: [], caseNumber: '2019/0457-IML', title: 'Dosja e autopsisë', date: '1999', ...metadata },
  };
}

const page = recognizedPage(pendingPage(), 'Procesverbal i shkurtër.');
const other = recognizedPage(pendingPage(), 'Procesverbal tjetër.');

async function start(documents: DocumentRecord[] | null) {
  const membership = createDocumentMembership();
  const fake = fakeApi({
    'pages.list': async () => ({ pages: [page, other] }),
    ...(documents ? { 'documents.list': async () => ({ documents }) } : {}),
  });
  const pages = startArchiveSync({ api: fake.api, catalog, search, onError: vi.fn(), documentOf: membership.documentOf });
  const onError = vi.fn();
  const docs = startDocumentSync({ api: fake.api, catalog, search, membership, onError });
  stops.push(pages.stop, docs.stop);
  await pages.loaded;
  await docs.loaded;
  return { fake, onError };
}

const found = async (query: string) => (await search.search(query)).map((hit) => hit.pageId);

describe('startDocumentSync', () => {
  it('indexes pages with their document fields: case number, persons, title', async () => {
    await start([documentOf([page.id])]);
    await vi.waitFor(async () => expect(await found('2019/0457')).toEqual([page.id]));
    expect(await found('Gashi')).toEqual([page.id]);
    expect(await found('Гаши')).toEqual([page.id]);
    const [hit] = await search.search('Gashi');
    expect(hit).toMatchObject({ documentId: documentOf([]).id, documentTitle: 'Dosja e autopsisë', caseNumber: '2019/0457-IML' });
    expect(await catalog.documents.count()).toBe(1);
  });

  it('follows document changes, older revisions never overwriting newer ones', async () => {
    const { fake } = await start([documentOf([page.id])]);
    await vi.waitFor(async () => expect(await found('Gashi')).toEqual([page.id]));
    fake.emit('document.changed', { document: documentOf([page.id, other.id], 2, { persons: ['Dragan Živković'] }) });
    await vi.waitFor(async () => expect((await found('Zhivkoviq')).sort()).toEqual([page.id, other.id].sort()));
    fake.emit('document.changed', { document: documentOf([page.id], 1) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await found('Gashi')).toEqual([]);
    expect((await catalog.documents.toArray())[0]?.revision).toBe(2);
  });

  it('frees the pages of a deleted document', async () => {
    const { fake } = await start([documentOf([page.id])]);
    await vi.waitFor(async () => expect(await found('Gashi')).toEqual([page.id]));
    fake.emit('document.changed', { document: documentOf([page.id], 2, {}, true) });
    await vi.waitFor(async () => expect(await found('Gashi')).toEqual([]));
    expect(await found('procesverbal')).toContain(page.id);
  });

  it('filters by the document date', async () => {
    await start([documentOf([page.id])]);
    await vi.waitFor(async () => expect(await found('Gashi')).toEqual([page.id]));
    expect((await search.search('procesverbal', { filters: { from: '1999-01-01', to: '1999-12-31' } })).map((hit) => hit.pageId)).toEqual([page.id]);
  });

  it('carries on with pages alone when the services know no documents', async () => {
    const { onError } = await start(null);
    expect(onError).not.toHaveBeenCalled();
    await vi.waitFor(async () => expect((await found('procesverbal')).sort()).toEqual([page.id, other.id].sort()));
  });
});
