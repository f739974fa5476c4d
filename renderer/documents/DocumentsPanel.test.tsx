import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../common/api/contract';
import { documentRecord, pageId, pendingPage, recognizedPage } from '../test-support/pages';
import { renderStatic } from '../test-support/render';
import { freePages, liveDocuments } from './document-lists';
import { DocumentListView, NewDocumentView } from './DocumentsPanel';

const A = '3f2a9c1e-0000-4000-8000-00000000000a';
const B = '3f2a9c1e-0000-4000-8000-00000000000b';
const C = '3f2a9c1e-0000-4000-8000-00000000000c';
const withPages = (document: DocumentRecord, ...n: number[]): DocumentRecord => ({ ...document, pages: n.map((k) => ({ pageId: pageId(k), rotation: 0 as const })) });
const autopsy = { ...withPages(documentRecord(A, { title: 'Raport i autopsisë', caseNumber: '2019/0457-IML', date: '1999-06' }), 1, 2), updatedAt: '2026-11-03T08:00:00.000Z' };
const untitled = { ...withPages(documentRecord(B), 3), updatedAt: '2026-11-02T08:00:00.000Z' };
const deleted = { ...withPages(documentRecord(C, { title: 'Merged away' }), 4), deleted: true, updatedAt: '2026-11-04T08:00:00.000Z' };

describe('the documents list', () => {
  it('lists live documents, the most recently changed first, and leaves deleted (merged) ones out', () => {
    expect(liveDocuments([untitled, deleted, autopsy]).map((document) => document.id)).toEqual([A, B]);
  });

  it('shows each document by title, case number, date and page count, and calls an untitled one so', () => {
    const doc = renderStatic(<DocumentListView documents={[autopsy, untitled]} onOpen={() => undefined} onNew={() => undefined} />);
    const items = doc.byTestId('document-item');
    expect(items.map((item) => item.attributes['data-document-id'])).toEqual([A, B]);
    expect(items[0]?.text).toContain('Raport i autopsisë');
    expect(items[0]?.text).toContain('2019/0457-IML');
    expect(items[0]?.text).toContain('1999-06');
    expect(items[0]?.text).toContain('2 pages');
    expect(items[1]?.text).toContain('Untitled document');
    expect(doc.byTestId('new-document')[0]?.text).toBe('New document');
  });

  it('invites the clerk to make the first document', () => {
    expect(renderStatic(<DocumentListView documents={[]} onOpen={() => undefined} onNew={() => undefined} />).html).toContain('No documents yet');
  });
});

describe('a new document', () => {
  const free = recognizedPage(pendingPage({ id: pageId(10), source: { kind: 'import', fileName: 'phototest.tif' } }), 'text');
  const taken = pendingPage({ id: pageId(1) });

  it('is made only of pages in no live document; a deleted document’s pages are free again', () => {
    expect(freePages([taken, free], [autopsy]).map((page) => page.id)).toEqual([free.id]);
    expect(freePages([taken, free], [{ ...autopsy, deleted: true }]).map((page) => page.id)).toEqual([taken.id, free.id]);
  });

  it('offers the free pages to tick, and says how many pages the document will have', () => {
    const doc = renderStatic(
      <NewDocumentView pages={[free]} selected={new Set([free.id])} busy={false} error={null} onToggle={() => undefined} onCreate={() => undefined} onCancel={() => undefined} />,
    );
    const [box] = doc.byTestId('new-document-page');
    expect(box?.attributes['data-page-id']).toBe(free.id);
    expect(box?.attributes['checked']).toBe('');
    expect(doc.byTestId('new-document-form')[0]?.text).toContain('phototest.tif');
    expect(doc.byTestId('create-document')[0]?.text).toBe('Create document from 1 page');
    expect(doc.byTestId('create-document')[0]?.attributes['disabled']).toBeUndefined();
  });

  it('counts only the ticked pages still free: one another document has taken since is not sent', () => {
    const doc = renderStatic(
      <NewDocumentView pages={[free]} selected={new Set([free.id, taken.id])} busy={false} error={null} onToggle={() => undefined} onCreate={() => undefined} onCancel={() => undefined} />,
    );
    expect(doc.byTestId('create-document')[0]?.text).toBe('Create document from 1 page');
    const none = renderStatic(
      <NewDocumentView pages={[free]} selected={new Set([taken.id])} busy={false} error={null} onToggle={() => undefined} onCreate={() => undefined} onCancel={() => undefined} />,
    );
    expect(none.byTestId('create-document')[0]?.attributes['disabled']).toBe('');
  });

  it('cannot be created from no pages, and shows why the services refused one', () => {
    const doc = renderStatic(
      <NewDocumentView
        pages={[free]}
        selected={new Set()}
        busy={false}
        error={{ code: 'conflict', message: 'Page 000000000000 already belongs to document 3f2a9c1e; remove it there first.' }}
        onToggle={() => undefined}
        onCreate={() => undefined}
        onCancel={() => undefined}
      />,
    );
    expect(doc.byTestId('create-document')[0]?.attributes['disabled']).toBe('');
    expect(doc.byTestId('new-document-error')[0]?.text).toContain('already belongs to document 3f2a9c1e');
  });
});
