import { describe, expect, it } from 'vitest';
import { documentRecord, pageId } from '../test-support/pages';
import { renderStatic } from '../test-support/render';
import type { PageHit } from './indexed-page';
import { describedValues, SearchFilterBar, SearchPanel, SearchResultItem, SearchResultList, withFilter, type BatchChoice } from './SearchPanel';

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

describe('the batch and sync-state filters', () => {
  const batches: BatchChoice[] = [
    { id: '00000000-0000-4000-8000-0000000000b1', title: 'Dosja 2004/12', state: 'sealed' },
    { id: '00000000-0000-4000-8000-0000000000b2', title: '  ', state: 'queued' },
  ];
  const bar = (filters: Parameters<typeof SearchFilterBar>[0]['filters']) =>
    renderStatic(<SearchFilterBar sort="relevance" filters={filters} batches={batches} onSort={() => undefined} onFilters={() => undefined} />);
  const options = (html: string) => [...html.matchAll(/<option([^>]*)>([^<]*)<\/option>/g)].map((match) => ({ value: /value="([^"]*)"/.exec(match[1] ?? '')?.[1], selected: (match[1] ?? '').includes('selected'), text: match[2] }));

  it('sit in the search panel beside the other filters, every batch state offered, with "not in a batch" first', () => {
    const doc = renderStatic(<SearchPanel selectedId={null} onOpen={() => undefined} />);
    expect(doc.byTestId('search-batch')[0]?.text).toBe('All batches');
    expect(options(doc.byTestId('search-batch-state')[0]?.html ?? '').map((option) => option.text)).toEqual([
      'Any state', 'Not in a batch', 'Open', 'Sealed', 'Verified', 'Rejected', 'Queued for sync', 'Synced',
    ]);
    expect(options(doc.byTestId('search-batch-state')[0]?.html ?? '').map((option) => option.value)).toEqual(['', 'unbatched', 'open', 'sealed', 'verified', 'rejected', 'queued', 'synced']);
  });

  it('list the catalog’s batches by title (or id, untitled) with their state, and show the chosen one selected', () => {
    const doc = bar({ batchId: batches[0]?.id ?? '', batchState: 'unbatched' });
    expect(options(doc.byTestId('search-batch')[0]?.html ?? '')).toEqual([
      { value: '', selected: false, text: 'All batches' },
      { value: batches[0]?.id, selected: true, text: 'Dosja 2004/12 (Sealed)' },
      { value: batches[1]?.id, selected: false, text: 'Batch 00000000 (Queued for sync)' },
    ]);
    expect(options(doc.byTestId('search-batch-state')[0]?.html ?? '').find((option) => option.selected)?.value).toBe('unbatched');
    expect(doc.byTestId('search-clear-filters')).toHaveLength(1);
  });

  it('keep a chosen batch selectable after the catalog stopped listing it', () => {
    const doc = bar({ batchId: '00000000-0000-4000-8000-0000000000ff' });
    expect(options(doc.byTestId('search-batch')[0]?.html ?? '').find((option) => option.selected)).toEqual({
      value: '00000000-0000-4000-8000-0000000000ff',
      selected: true,
      text: 'Batch 00000000',
    });
  });

  it('change one filter at a time: a value sets it, an empty value removes it, a value no filter knows is dropped', () => {
    const start = withFilter({ source: 'scan' }, 'batchState', 'unbatched');
    expect(start).toEqual({ source: 'scan', batchState: 'unbatched' });
    expect(withFilter(start, 'batchId', batches[1]?.id ?? '')).toEqual({ source: 'scan', batchState: 'unbatched', batchId: batches[1]?.id });
    expect(withFilter(start, 'batchState', 'synced')).toEqual({ source: 'scan', batchState: 'synced' });
    expect(withFilter(start, 'batchState', '')).toEqual({ source: 'scan' });
    expect(withFilter(start, 'batchState', 'archived')).toEqual({ source: 'scan' });
    expect(withFilter(start, 'source', 'fax')).toEqual({ batchState: 'unbatched' });
  });
});

describe('the OCR status, institution and document type filters', () => {
  const documents = [
    { institution: 'Instituti i Mjekësisë Ligjore', documentType: 'Autopsy report', deleted: false },
    { institution: 'Kosovo Police', documentType: 'Witness statement', deleted: false },
    { institution: 'Kosovo Police', documentType: '', deleted: false },
    { institution: 'Gone Institution', documentType: 'Gone type', deleted: true },
  ].map(({ institution, documentType, deleted }, index) => ({
    ...documentRecord(`00000000-0000-4000-8000-00000000000${index}`, { institution, documentType }),
    deleted,
  }));
  const options = (html: string) => [...html.matchAll(/<option([^>]*)>([^<]*)<\/option>/g)].map((match) => ({ selected: (match[1] ?? '').includes('selected'), text: match[2] }));

  it('offer the institutions and types the catalog’s live documents carry, each once, sorted', () => {
    expect(describedValues(documents)).toEqual({
      institutions: ['Instituti i Mjekësisë Ligjore', 'Kosovo Police'],
      documentTypes: ['Autopsy report', 'Witness statement'],
    });
  });

  it('show every OCR status, and the chosen institution even when no document carries it any more', () => {
    const doc = renderStatic(
      <SearchFilterBar
        sort="relevance"
        filters={{ status: 'failed', institution: 'Old Name' }}
        batches={[]}
        described={describedValues(documents)}
        onSort={() => undefined}
        onFilters={() => undefined}
      />,
    );
    expect(options(doc.byTestId('search-status')[0]?.html ?? '')).toEqual([
      { selected: false, text: 'Any' },
      { selected: false, text: 'Pending OCR' },
      { selected: false, text: 'Recognized' },
      { selected: true, text: 'OCR failed' },
    ]);
    expect(options(doc.byTestId('search-institution')[0]?.html ?? '').map((option) => `${option.text}${option.selected ? ' *' : ''}`)).toEqual([
      'All institutions',
      'Old Name *',
      'Instituti i Mjekësisë Ligjore',
      'Kosovo Police',
    ]);
    expect(options(doc.byTestId('search-document-type')[0]?.html ?? '').map((option) => option.text)).toEqual(['All types', 'Autopsy report', 'Witness statement']);
  });

  it('take a status the index knows, and drop one it does not', () => {
    expect(withFilter({}, 'status', 'recognized')).toEqual({ status: 'recognized' });
    expect(withFilter({ status: 'recognized' }, 'status', 'lost')).toEqual({});
    expect(withFilter({}, 'institution', 'Kosovo Police')).toEqual({ institution: 'Kosovo Police' });
  });
});
