import { describe, expect, it } from 'vitest';
import { pageId } from '../test-support/pages';
import { renderStatic } from '../test-support/render';
import type { PageHit } from './indexed-page';
import { SearchPanel, SearchResultItem, SearchResultList } from './SearchPanel';

const hit: PageHit = {
  pageId: pageId(7),
  score: 3.2,
  fileName: 'raporti-1999.png',
  deviceId: '',
  capturedAt: '2025-03-01T09:00:00.000Z',
  documentId: pageId(7),
  snippet: [
    { text: 'Raport nga ', match: false },
    { text: 'Prishtinë', match: true },
    { text: ', 1999 <script>', match: false },
  ],
  terms: ['prishtine'],
};

describe('SearchResultItem', () => {
  it('is a clickable search-result with the file name and the snippet, the match marked', () => {
    const doc = renderStatic(<SearchResultItem hit={hit} selected={false} onOpen={() => undefined} />);
    const [result] = doc.byTestId('search-result');
    expect(result?.tag).toBe('button');
    expect(result?.attributes['data-page-id']).toBe(hit.pageId);
    expect(result?.text).toContain('raporti-1999.png');
    expect(result?.text).toContain('Raport nga Prishtinë, 1999 <script>');
    expect(doc.byTag('mark').map((mark) => mark.text)).toEqual(['Prishtinë']);
  });

  it('shows page text as text, never as markup', () => {
    const doc = renderStatic(<SearchResultItem hit={hit} selected={false} onOpen={() => undefined} />);
    expect(doc.byTag('script')).toEqual([]);
  });

  it('names a scanned page by its scanner', () => {
    const scanned = { ...hit, fileName: '', deviceId: 'escl:brother' };
    const doc = renderStatic(<SearchResultItem hit={scanned} selected onOpen={() => undefined} />);
    expect(doc.byTestId('search-result')[0]?.text).toContain('Scan · escl:brother');
  });
});

describe('SearchPanel', () => {
  it('starts with an empty search-input and a hint', () => {
    const doc = renderStatic(<SearchPanel selectedId={null} onOpen={() => undefined} />);
    const [input] = doc.byTestId('search-input');
    expect(input?.tag).toBe('input');
    expect(input?.attributes['value']).toBe('');
    expect(doc.html).toContain('Accents, case, script and spelling are ignored');
    expect(doc.byTestId('search-result')).toEqual([]);
  });

  it('offers sorting and the filters pages carry: date range and source', () => {
    const doc = renderStatic(<SearchPanel selectedId={null} onOpen={() => undefined} />);
    expect(doc.byTestId('search-sort')[0]?.text).toContain('Best match');
    expect(doc.byTestId('search-sort')[0]?.text).toContain('Newest first');
    expect(doc.byTestId('search-from')[0]?.attributes['type']).toBe('date');
    expect(doc.byTestId('search-to')[0]?.attributes['type']).toBe('date');
    expect(doc.byTestId('search-source')[0]?.text).toContain('Scans');
    expect(doc.byTestId('search-clear-filters')).toEqual([]);
  });
});

describe('SearchResultList', () => {
  it('groups the pages of a document under its title and case number, and lists loose pages as they are', () => {
    const inDocument = (n: number): PageHit => ({ ...hit, pageId: pageId(n), documentId: 'doc-1', documentTitle: 'Dosja e autopsisë', caseNumber: '2019/0457-IML' });
    const loose: PageHit = { ...hit, pageId: pageId(9), documentId: pageId(9) };
    const doc = renderStatic(<SearchResultList hits={[inDocument(1), loose, inDocument(2)]} selectedId={null} onOpen={() => undefined} />);
    const [group] = doc.byTestId('search-group');
    expect(doc.byTestId('search-group')).toHaveLength(1);
    expect(group?.attributes['data-document-id']).toBe('doc-1');
    expect(group?.text).toContain('Dosja e autopsisë');
    expect(group?.text).toContain('2019/0457-IML');
    expect(group?.text).toContain('2 matching pages');
    expect(doc.byTestId('search-result').map((result) => result.attributes['data-page-id'])).toEqual([pageId(1), pageId(2), pageId(9)]);
  });
});
