import { describe, expect, it } from 'vitest';
import type { IndexedPage } from './indexed-page';
import { PageIndex, topK } from './page-index';
import { termMatcher } from './term-match';
import { pageId } from '../test-support/pages';

function page(id: number, text: string, extra: Partial<IndexedPage> = {}): IndexedPage {
  return { id: pageId(id), text, fileName: '', deviceId: '', capturedAt: '2025-03-01T09:00:00.000Z', sourceKind: 'import', status: 'recognized', ...extra };
}

function indexOf(...pages: IndexedPage[]): PageIndex {
  const index = new PageIndex();
  for (const p of pages) index.upsert(p);
  return index;
}

const ids = (index: PageIndex, query: string, options = {}) => index.search(query, options).map((hit) => hit.pageId);
const sorted = (list: string[]) => [...list].sort();

describe('PageIndex across scripts, spellings and OCR', () => {
  const index = indexOf(
    page(1, 'Raport nga Prishtinë, data 12.03.1999.'),
    page(2, 'Komuna e Prishtina njofton.'),
    page(3, 'Zapisnik sačinjen u Priština.'),
    page(4, 'Записник, Приштина, 1999.'),
    page(5, 'Deklaratë e dëshmitarit në Pejë.'),
    page(6, 'Izjava svedoka iz Peći.'),
    page(7, 'I dyshuari Arben Krasniqi u intervistua.'),
    page(8, 'Osumnjičeni Dragan Živković je priveden.'),
    page(9, 'Dosja e Shpend Berlsha, Prishtlna.'),
    page(10, 'Raport i shkurtër pa emra.'),
  );
  const prishtina = [1, 2, 3, 4, 9].map((n) => pageId(n));

  it.each(['Приштина', 'Prishtinë', 'Prishtina', 'Priština', 'pristina'])('finds every spelling of Prishtina from %s', (query) => {
    expect(sorted(ids(index, query))).toEqual(sorted(prishtina));
  });

  it('ranks the spelling typed above the others', () => {
    expect(ids(index, 'Приштина')[0]).toBe(pageId(4));
    expect(ids(index, 'Prishtinë')[0]).toBe(pageId(1));
  });

  it('finds Pejë from Peć and the other way round', () => {
    expect(ids(index, 'Peć')).toContain(pageId(5));
    expect(ids(index, 'Pejë')).toContain(pageId(6));
    expect(ids(index, 'Пећ')).toEqual(expect.arrayContaining([pageId(5), pageId(6)]));
  });

  it('finds a surname misspelled, in the other spelling, or misread by OCR', () => {
    expect(ids(index, 'Krasniq')).toEqual([pageId(7)]);
    expect(ids(index, 'Krasnići')).toEqual([pageId(7)]);
    expect(ids(index, 'Zhivkoviq')).toEqual([pageId(8)]);
    expect(ids(index, 'Живковић')).toEqual([pageId(8)]);
    expect(ids(index, 'Berisha')).toEqual([pageId(9)]);
  });

  it('reports terms that highlight the words as written on the page', () => {
    const [hit] = index.search('Приштина').filter((found) => found.pageId === pageId(1));
    const matches = termMatcher(hit?.terms ?? []);
    expect(matches('Prishtinë,')).toBe(false); // punctuation is the tokenizer's business
    expect(matches('Prishtinë')).toBe(true);
    expect(hit?.snippet.filter((part) => part.match).map((part) => part.text)).toEqual(['Prishtinë']);
  });

  it('does not let short words match their spelling neighbours', () => {
    const short = indexOf(page(20, 'bie shi sot'), page(21, 'si ishte'), page(22, 'mali i lartë'), page(23, 'mal'));
    expect(ids(short, 'shi')).toEqual([pageId(20)]);
    expect(ids(short, 'si')).toEqual([pageId(21)]);
    expect(ids(short, 'mal')).toEqual(expect.arrayContaining([pageId(23)]));
    expect(ids(short, 'mal')[0]).toBe(pageId(23));
  });

  it('does not turn a place into the ordinary word that shares its name', () => {
    const places = indexOf(page(30, 'Viti 1999 ishte i vështirë.'), page(31, 'Opština Vitina.'));
    expect(ids(places, 'Vitina')).toEqual([pageId(31)]);
  });
});

describe('PageIndex phrases, filters, sorting and fields', () => {
  const index = indexOf(
    page(1, 'raport policor nga stacioni', { capturedAt: '2024-01-10T08:00:00.000Z', sourceKind: 'scan', deviceId: 'sane:a' }),
    page(2, 'policor raport i vjetër', { capturedAt: '2025-06-01T08:00:00.000Z' }),
    page(3, 'raport raport raport policor', { capturedAt: '2023-02-01T08:00:00.000Z' }),
  );

  it('requires quoted words to stand together, in order', () => {
    expect(sorted(ids(index, 'raport policor'))).toEqual(sorted([pageId(1), pageId(2), pageId(3)]));
    expect(sorted(ids(index, '"raport policor"'))).toEqual(sorted([pageId(1), pageId(3)]));
    expect(ids(index, '"policor raport"')).toEqual([pageId(2)]);
  });

  it('filters by date range and source', () => {
    expect(ids(index, 'raport', { filters: { from: '2024-01-01' } }).sort()).toEqual([pageId(1), pageId(2)].sort());
    expect(ids(index, 'raport', { filters: { from: '2024-01-01', to: '2024-12-31' } })).toEqual([pageId(1)]);
    expect(ids(index, 'raport', { filters: { source: 'scan' } })).toEqual([pageId(1)]);
    expect(ids(index, 'raport', { filters: { status: 'failed' } })).toEqual([]);
  });

  it('sorts by relevance or by date', () => {
    expect(ids(index, 'raport')[0]).toBe(pageId(3));
    expect(ids(index, 'raport', { sort: 'newest' })).toEqual([pageId(2), pageId(1), pageId(3)]);
    expect(ids(index, 'raport', { sort: 'oldest' })).toEqual([pageId(3), pageId(1), pageId(2)]);
  });

  it('ranks a case number or a name in its own field above the same words in body text', () => {
    const fields = indexOf(
      page(40, 'Lënda 00123/1999 përmendet këtu. Gashi.'),
      page(41, 'Procesverbal.', { caseNumber: '00123/1999', persons: 'Agim Gashi', documentId: 'doc-7' }),
    );
    expect(ids(fields, '00123/1999')[0]).toBe(pageId(41));
    expect(ids(fields, 'Gashi')[0]).toBe(pageId(41));
    expect(fields.search('Gashi')[0]?.documentId).toBe('doc-7');
    expect(fields.search('Gashi')[1]?.documentId).toBe(pageId(40));
  });
});

describe('PageIndex batch and sync-state filters', () => {
  const batched = () =>
    indexOf(
      page(1, 'raport policor', { batchId: 'batch-a', batchState: 'open' }),
      page(2, 'raport i vjetër', { batchId: 'batch-a', batchState: 'open' }),
      page(3, 'raport nga Peja', { batchId: 'batch-b', batchState: 'synced' }),
      page(4, 'raport pa batch'),
    );

  it('filters by batch', () => {
    expect(sorted(ids(batched(), 'raport', { filters: { batchId: 'batch-a' } }))).toEqual(sorted([pageId(1), pageId(2)]));
    expect(ids(batched(), 'raport', { filters: { batchId: 'batch-c' } })).toEqual([]);
  });

  it('filters by where the batch stands, and finds pages in no batch as unbatched', () => {
    expect(ids(batched(), 'raport', { filters: { batchState: 'synced' } })).toEqual([pageId(3)]);
    expect(ids(batched(), 'raport', { filters: { batchState: 'unbatched' } })).toEqual([pageId(4)]);
    expect(ids(batched(), 'raport', { filters: { batchState: 'sealed' } })).toEqual([]);
    expect(ids(batched(), 'raport', { filters: { batchId: 'batch-a', batchState: 'synced' } })).toEqual([]);
  });

  it('takes a new batch state without indexing the text again, and filters by it at once', () => {
    const index = batched();
    const before = index.snapshot().fields.text?.tfs.length;
    expect(index.upsert(page(1, 'raport policor', { batchId: 'batch-a', batchState: 'sealed' }))).toBe('updated');
    expect(index.upsert(page(1, 'raport policor', { batchId: 'batch-a', batchState: 'sealed' }))).toBe('unchanged');
    expect(ids(index, 'raport', { filters: { batchState: 'sealed' } })).toEqual([pageId(1)]);
    expect(ids(index, 'raport', { filters: { batchState: 'open' } })).toEqual([pageId(2)]);
    expect(index.snapshot().fields.text?.tfs.length).toBe(before);
    expect(index.size).toBe(4);
  });

  it('indexes the page again when a searched field changes with the batch state', () => {
    const index = batched();
    expect(index.upsert(page(1, 'raport policor', { batchId: 'batch-a', batchState: 'sealed', caseNumber: '00042/1999' }))).toBe('replaced');
    expect(ids(index, '00042/1999')).toEqual([pageId(1)]);
    expect(ids(index, 'raport', { filters: { batchState: 'sealed' } })).toEqual([pageId(1)]);
  });

  it('keeps batch fields through a snapshot', () => {
    const reopened = PageIndex.fromSnapshot(structuredClone(batched().snapshot()));
    expect(ids(reopened, 'raport', { filters: { batchState: 'synced' } })).toEqual([pageId(3)]);
    expect(ids(reopened, 'raport', { filters: { batchState: 'unbatched' } })).toEqual([pageId(4)]);
  });
});

describe('PageIndex phrases at scale', () => {
  it('finds a phrase on every page that holds it, however many hold its words apart', () => {
    const apart = Array.from({ length: 3000 }, (_, i) => page(1000 + i, `policor ${'fjalë '.repeat(i % 7)} raport nr ${i}`));
    // Long pages rank below the short ones, so checking only the best few candidates would miss them.
    const filler = 'dëshmitar '.repeat(300);
    const together = [page(1, `${filler} Ky është raport policor i plotë.`), page(2, `RAPORT, policor. ${filler}`)];
    const index = indexOf(...apart, ...together);
    expect(sorted(ids(index, '"raport policor"'))).toEqual(sorted([pageId(1), pageId(2)]));
  });

  it('does not take a spelling variant for the quoted word', () => {
    const index = indexOf(page(1, 'Prishtina raport'), page(2, 'Pristina raport'));
    expect(ids(index, '"pristina raport"')).toEqual([pageId(2)]);
    expect(sorted(ids(index, 'pristina raport'))).toEqual(sorted([pageId(1), pageId(2)]));
  });
});

describe('PageIndex snapshots', () => {
  it('saves and reopens with the same answers, and keeps taking pages after', () => {
    const index = indexOf(page(1, 'Raport nga Prishtinë'), page(2, 'Deklaratë në Pejë'), page(3, 'hiq'));
    index.upsert(page(3, ''));
    const reopened = PageIndex.fromSnapshot(structuredClone(index.snapshot()));
    expect(reopened.size).toBe(2);
    expect(ids(reopened, 'Приштина')).toEqual([pageId(1)]);
    expect(reopened.upsert(page(1, 'Raport nga Prishtinë'))).toBe('unchanged');
    expect(reopened.upsert(page(4, 'Raport nga Peć'))).toBe('added');
    expect(sorted(ids(reopened, 'Pejë'))).toEqual(sorted([pageId(2), pageId(4)]));
    expect(ids(reopened, 'hiq')).toEqual([]);
  });

  it('refuses a snapshot made with other folding or a damaged one', () => {
    const snapshot = indexOf(page(1, 'raport')).snapshot();
    expect(() => PageIndex.fromSnapshot({ ...snapshot, fingerprint: 'older folding' })).toThrow(/rebuilt/);
    expect(() => PageIndex.fromSnapshot({ ...snapshot, pageCount: 2 })).toThrow(/damaged/);
  });

  it('drops the pages the archive no longer lists', () => {
    const index = indexOf(page(1, 'raport'), page(2, 'raport'));
    expect(index.retainOnly(new Set([pageId(2)]))).toBe(1);
    expect(ids(index, 'raport')).toEqual([pageId(2)]);
  });
});

describe('topK', () => {
  it('returns the best items in order, as a full sort would', () => {
    const items = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const order = (a: number, b: number) => b - a;
    expect(topK(items, 5, order)).toEqual([999, 998, 997, 996, 995]);
    expect(topK(items, 0, order)).toEqual([]);
    expect(topK([3, 1, 2], 10, order)).toEqual([3, 2, 1]);
  });
});
