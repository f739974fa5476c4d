import { describe, expect, it } from 'vitest';
import { toIndexedPage, type IndexedPage } from './indexed-page';
import { PageIndex } from './page-index';
import { pageId, pendingPage, recognizedPage } from '../test-support/pages';

function page(id: number, text: string, fileName = `page-${id}.png`): IndexedPage {
  return { id: pageId(id), text, fileName, deviceId: '', capturedAt: '2025-03-01T09:00:00.000Z' };
}

function indexOf(...pages: IndexedPage[]): PageIndex {
  const index = new PageIndex();
  for (const p of pages) index.upsert(p);
  return index;
}

const ids = (index: PageIndex, query: string) => index.search(query).map((hit) => hit.pageId);

describe('PageIndex search', () => {
  const index = indexOf(
    page(1, 'Raport policor nga Prishtinë, data 12.03.1999.'),
    page(2, 'Deklaratë e dëshmitarit Đorđe Đurić në Pejë.'),
    page(3, 'Записник о увиђају, Приштина.'),
    page(4, 'Autopsy report, Institute of Forensic Medicine.', 'ifm-autopsi-0042.tif'),
  );

  it('finds accented words from a plain query and plain words from an accented query', () => {
    expect(ids(index, 'prishtine')[0]).toEqual(pageId(1));
    expect(ids(index, 'DËSHMITARIT')).toEqual([pageId(2)]);
    expect(ids(index, 'Prishtínë')[0]).toEqual(pageId(1));
  });

  it('finds đ spelled as dj', () => {
    expect(ids(index, 'djordje djuric')).toEqual([pageId(2)]);
  });

  it('finds the same name in either script and either language, the exact spelling first', () => {
    expect(ids(index, 'приштина')).toEqual([pageId(3), pageId(1)]);
    expect(ids(index, 'Priština')).toEqual([pageId(3), pageId(1)]);
    expect(ids(index, 'Prishtinë')).toEqual([pageId(1), pageId(3)]);
  });

  it('requires every word of the query', () => {
    expect(ids(index, 'raport prishtine')).toEqual([pageId(1)]);
    expect(ids(index, 'raport pejë')).toEqual([]);
  });

  it('matches word beginnings from three characters', () => {
    expect(ids(index, 'rapo')).toEqual([pageId(1)]);
    expect(ids(index, 'pris').sort()).toEqual([pageId(1), pageId(3)]);
    expect(ids(index, 'pr')).toEqual([]);
  });

  it('tolerates a typo in longer words but not in short ones', () => {
    expect(ids(index, 'autopsi')).toEqual([pageId(4)]);
    expect(ids(index, 'forensik')).toEqual([pageId(4)]);
    expect(ids(index, 'pejo')).toEqual([]);
  });

  it('searches file names too', () => {
    expect(ids(index, 'ifm 0042')).toEqual([pageId(4)]);
  });

  it('returns the page id, a score, display fields, matched terms and a marked snippet', () => {
    const [hit] = index.search('prishtine');
    expect(hit).toMatchObject({
      pageId: pageId(1),
      fileName: 'page-1.png',
      deviceId: '',
      capturedAt: '2025-03-01T09:00:00.000Z',
    });
    expect(hit?.terms).toContain('prishtine');
    expect(hit?.score).toBeGreaterThan(0);
    expect(hit?.snippet.filter((part) => part.match).map((part) => part.text)).toEqual(['Prishtinë']);
  });

  it('ranks the page that mentions a word more often first', () => {
    const ranked = indexOf(page(10, 'vjedhje'), page(11, 'vjedhje vjedhje vjedhje raport'));
    expect(ids(ranked, 'vjedhje')).toEqual([pageId(11), pageId(10)]);
  });

  it('limits the number of results', () => {
    const many = indexOf(...Array.from({ length: 30 }, (_, i) => page(100 + i, 'dosja')));
    expect(many.search('dosja', 5)).toHaveLength(5);
  });
});

describe('PageIndex with odd queries', () => {
  const index = indexOf(
    ...Array.from({ length: 300 }, (_, i) =>
      page(1000 + i, `Dosja ${i} Prishtinë Mitrovicë Gjakovë raport deklaratë ${'fjalë '.repeat(50)}`),
    ),
  );

  it.each([
    ['empty', ''],
    ['blank', ' \n\t '],
    ['only punctuation', '.,;:!?-–—…'],
    ['regex metacharacters', '.*+?^${}()|[]\\'],
    ['a regex that would backtrack', '(a+)+$'],
    ['quotes and operators', '"raport" AND -deklaratë OR *'],
    ['lone surrogates and control characters', '\uD800\u0000\u001F\uDFFF'],
    ['5,000 characters of one word', 'a'.repeat(5000)],
    ['5,000 characters of words', 'prishtine '.repeat(500)],
    ['5,000 characters of distinct words', Array.from({ length: 1000 }, (_, i) => `q${i}`).join(' ').slice(0, 5000)],
  ])('answers %s quickly without throwing', (_name, query) => {
    const started = performance.now();
    expect(() => index.search(query)).not.toThrow();
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('finds nothing for queries without words', () => {
    expect(index.search('')).toEqual([]);
    expect(index.search('.*+?^${}()|[]\\')).toEqual([]);
  });

  it('still finds pages when the query is a long repetition of a real word', () => {
    expect(index.search('prishtine '.repeat(500)).length).toBeGreaterThan(0);
  });
});

describe('PageIndex upsert', () => {
  it('indexes a page once however often it is upserted', () => {
    const index = new PageIndex();
    expect(index.upsert(page(1, 'raport'))).toBe('added');
    expect(index.upsert(page(1, 'raport'))).toBe('unchanged');
    expect(index.size).toBe(1);
    expect(ids(index, 'raport')).toEqual([pageId(1)]);
  });

  it('replaces the text of a page that changed, forgetting the old words', () => {
    const index = indexOf(page(1, 'raport i vjetër'));
    expect(index.upsert(page(1, 'deklaratë e re'))).toBe('replaced');
    expect(ids(index, 'vjetër')).toEqual([]);
    expect(ids(index, 'deklaratë')).toEqual([pageId(1)]);
    expect(index.size).toBe(1);
  });

  it('removes a page that no longer has text, and ignores one that never had', () => {
    const index = indexOf(page(1, 'raport'));
    expect(index.upsert(page(1, ''))).toBe('removed');
    expect(ids(index, 'raport')).toEqual([]);
    expect(index.upsert(page(2, ''))).toBe('absent');
    expect(index.size).toBe(0);
  });

  it('takes catalog pages through toIndexedPage: pending pages stay out, recognized ones go in', () => {
    const index = new PageIndex();
    const pending = pendingPage({ source: { kind: 'scan', deviceId: 'escl:ricoh', settings: { source: 'adf', resolution: 300, mode: 'gray' } } });
    expect(index.upsert(toIndexedPage(pending))).toBe('absent');
    expect(index.upsert(toIndexedPage(recognizedPage(pending, '   ')))).toBe('absent');
    expect(index.upsert(toIndexedPage(recognizedPage(pending, 'Mitrovicë')))).toBe('added');
    expect(index.search('mitrovice')[0]).toMatchObject({ pageId: pending.id, deviceId: 'escl:ricoh', fileName: '' });
  });
});

describe('PageIndex saves', () => {
  const WORDS = ['raport', 'policor', 'Prishtinë', 'dëshmitar', 'Записник', 'увиђају', 'autopsy', 'Gjakovë', 'Đakovica', 'vjedhje', 'arkivi', 'Nr.'];
  /** Pages with shared and page-own words, long enough that document gaps and codes take several bytes. */
  const pages = Array.from({ length: 40 }, (_, i) =>
    page(i + 1, Array.from({ length: 20 + (i % 7) }, (_, k) => (k % 5 === 4 ? `fjala${i}x${k}` : WORDS[(i * 3 + k * 7) % WORDS.length])).join(i % 2 ? ' ' : ', '), `page-${i}.tif`),
  );
  const reopen = (index: PageIndex) => PageIndex.fromSnapshot(structuredClone(index.snapshot()));

  it('saves the same snapshot when pages came across several saves and a reopening as when they came at once', () => {
    let index = new PageIndex();
    for (const [from, to] of [[0, 10], [10, 11], [11, 25], [25, 40]] as const) {
      for (const p of pages.slice(from, to)) index.upsert(p);
      expect(index.snapshot()).toEqual(indexOf(...pages.slice(0, to)).snapshot());
      index = reopen(index);
    }
    expect(ids(index, 'fjala33x4')[0]).toBe(pageId(34));
  });

  it('saves the postings a full merge gives, which a removal since the last save forces', () => {
    const inSteps = indexOf(...pages.slice(0, 20));
    inSteps.snapshot();
    for (const p of pages.slice(20)) inSteps.upsert(p);

    const inFull = indexOf(...pages, page(99, 'raport fjalaejashtme'));
    inFull.upsert(page(99, ''));
    expect(inSteps.snapshot().fields).toEqual(inFull.snapshot().fields);
  });

  it('saves after a removal, a replaced page or a stored field changed what one save of the same changes gives, and finds the new text', () => {
    const changes = (index: PageIndex) => {
      index.upsert(page(3, 'deklaratë e re'));
      index.upsert(page(5, ''));
      // Same text and searched fields: only a stored field changes, in place.
      index.upsert({ ...(pages[7] ?? page(8, '')), batchId: 'batch-1', batchState: 'sealed' });
      index.upsert(pages[0] ?? page(1, ''));
      for (const p of pages.slice(30)) index.upsert(p);
    };
    let saved = indexOf(...pages.slice(0, 30));
    saved = reopen(saved);
    saved.snapshot();
    changes(saved);
    const once = indexOf(...pages.slice(0, 30));
    changes(once);
    expect(saved.snapshot()).toEqual(once.snapshot());

    const reopened = reopen(saved);
    expect(ids(reopened, 'deklaratë')).toEqual([pageId(3)]);
    expect(ids(reopened, 'fjala2x4')).not.toContain(pageId(3));
    expect(ids(reopened, 'fjala4x4')).not.toContain(pageId(5));
    expect(ids(reopened, 'fjala35x4')[0]).toBe(pageId(36));
  });
});
