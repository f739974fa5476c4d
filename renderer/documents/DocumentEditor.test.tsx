import { describe, expect, it } from 'vitest';
import type { DocumentChange, DocumentRecord, PageRecord } from '../../common/api/contract';
import { documentRecord, pageId, pendingPage } from '../test-support/pages';
import { renderStatic } from '../test-support/render';
import { draftOf } from './document-form';
import { AddPagesView, DocumentEditorView, DocumentHistoryView, DocumentPagesView, EditorNoticeView, MetadataFormView, type DocumentEditorViewProps } from './DocumentEditor';

const ID = '3f2a9c1e-0000-4000-8000-00000000000a';
const OTHER = '3f2a9c1e-0000-4000-8000-00000000000b';
const document: DocumentRecord = {
  ...documentRecord(ID, { title: 'Raport i autopsisë', caseNumber: '2019/0457-IML', persons: ['Драган Живковић'] }),
  revision: 3,
  pages: [
    { pageId: pageId(1), rotation: 0 },
    { pageId: pageId(2), rotation: 90 },
    { pageId: pageId(3), rotation: 0 },
  ],
};
const pages = new Map<string, PageRecord>([
  [pageId(1), pendingPage({ id: pageId(1), source: { kind: 'import', fileName: 'phototest.tif' } })],
  [pageId(2), pendingPage({ id: pageId(2), source: { kind: 'import', fileName: 'eurotext.tif' } })],
]);
const history: DocumentChange[] = [
  { revision: 1, at: '2026-12-01T09:00:00.000Z', action: 'create', summary: 'Created with 3 page(s)' },
  { revision: 2, at: '2026-12-01T09:05:00.000Z', action: 'update-metadata', summary: 'Metadata changed: caseNumber, persons' },
  { revision: 3, at: '2026-12-01T09:06:00.000Z', action: 'rotate', summary: 'Page 2 turned 90°' },
];
const none = () => undefined;
const props: DocumentEditorViewProps = {
  document,
  history,
  pages,
  others: [],
  newerElsewhere: false,
  busy: false,
  notice: null,
  formKey: 'k',
  onAction: none,
  onUnchanged: none,
  onExport: none,
  onReload: none,
  onClose: none,
  onOpenPage: none,
  onOpenDocument: none,
};

describe('the document editor', () => {
  it('shows the revision it edits, the export, the metadata, the pages, merge, delete and history', () => {
    const doc = renderStatic(<DocumentEditorView {...props} />);
    const [editor] = doc.byTestId('document-editor');
    expect(editor?.attributes['data-revision']).toBe('3');
    expect(editor?.text).toContain('revision 3');
    expect(doc.byTestId('document-export')[0]?.text).toBe('Export PDF/A');
    expect(doc.byTestId('metadata-caseNumber')[0]?.attributes['value']).toBe('2019/0457-IML');
    expect(doc.byTestId('metadata-persons')[0]?.text).toBe('Драган Живковић');
    expect(doc.byTestId('document-page')).toHaveLength(3);
    expect(doc.byTestId('delete-document')).toHaveLength(1);
    expect(doc.byTestId('history-entry')).toHaveLength(3);
  });

  it('holds every action back while one is under way', () => {
    const doc = renderStatic(<DocumentEditorView {...props} busy />);
    for (const id of ['document-export', 'metadata-save', 'page-rotate', 'page-split', 'delete-document']) {
      const buttons = doc.byTestId(id);
      expect(buttons.length, id).toBeGreaterThan(0);
      expect(buttons.every((button) => button.attributes['disabled'] === ''), id).toBe(true);
    }
  });

  it('offers nothing to edit in a document deleted or merged away meanwhile, and keeps its history', () => {
    const doc = renderStatic(<DocumentEditorView {...props} document={{ ...document, deleted: true, revision: 4 }} />);
    expect(doc.byTestId('document-deleted')[0]?.text).toContain('deleted or merged into another');
    for (const id of ['document-export', 'metadata-form', 'document-page', 'delete-document']) expect(doc.byTestId(id), id).toEqual([]);
    expect(doc.byTestId('history-entry')).toHaveLength(3);
  });
});

describe('the pages of a document', () => {
  const doc = renderStatic(<DocumentPagesView document={document} pages={pages} busy={false} onAction={none} onOpenPage={none} />);
  const rows = doc.byTestId('document-page');

  it('lists them in order by name, with how each is turned; a page the catalog lacks shows its id', () => {
    expect(rows.map((row) => [row.attributes['data-page-id'], row.attributes['data-rotation']])).toEqual([
      [pageId(1), '0'],
      [pageId(2), '90'],
      [pageId(3), '0'],
    ]);
    expect(rows[0]?.text).toContain('phototest.tif');
    expect(rows[1]?.text).toContain('turned 90°');
    expect(rows[2]?.text).toContain(pageId(3).slice(0, 12));
  });

  it('cannot move the first page up or the last down, and splits only before a page that has one before it', () => {
    const disabled = (id: string) => doc.byTestId(id).map((button) => button.attributes['disabled'] === '');
    expect(disabled('page-move-up')).toEqual([true, false, false]);
    expect(disabled('page-move-down')).toEqual([false, false, true]);
    expect(doc.byTestId('page-split')).toHaveLength(2);
  });

  it('does not offer to remove a document’s only page', () => {
    const single = { ...document, pages: document.pages.slice(0, 1) };
    const [remove] = renderStatic(<DocumentPagesView document={single} pages={pages} busy={false} onAction={none} onOpenPage={none} />).byTestId('page-remove');
    expect(remove?.attributes['disabled']).toBe('');
    expect(remove?.attributes['title']).toContain('delete the document instead');
  });
});

describe('adding pages', () => {
  it('offers the pages in no document, and appends the ticked ones', () => {
    const free = pendingPage({ id: pageId(9), source: { kind: 'import', fileName: 'rescan-page-4.png' } });
    const doc = renderStatic(<AddPagesView pages={[free]} selected={new Set([free.id])} busy={false} onToggle={none} onAdd={none} />);
    expect(doc.byTestId('add-page').map((box) => box.attributes['data-page-id'])).toEqual([free.id]);
    expect(doc.byTestId('add-pages')[0]?.text).toContain('rescan-page-4.png');
    expect(doc.byTestId('add-pages-button')[0]?.text).toBe('Add 1 page at the end');
    expect(renderStatic(<AddPagesView pages={[free]} selected={new Set()} busy={false} onToggle={none} onAdd={none} />).byTestId('add-pages-button')[0]?.attributes['disabled']).toBe('');
  });

  it('counts only the ticked pages still free, not one another document has taken since', () => {
    const free = pendingPage({ id: pageId(9) });
    const doc = renderStatic(<AddPagesView pages={[free]} selected={new Set([free.id, pageId(10)])} busy={false} onToggle={none} onAdd={none} />);
    expect(doc.byTestId('add-pages-button')[0]?.text).toBe('Add 1 page at the end');
    expect(renderStatic(<AddPagesView pages={[free]} selected={new Set([pageId(10)])} busy={false} onToggle={none} onAdd={none} />).byTestId('add-pages-button')[0]?.attributes['disabled']).toBe('');
  });
});

describe('the metadata form', () => {
  it('names each mistake beside its field and marks the field', () => {
    const doc = renderStatic(
      <MetadataFormView draft={{ ...draftOf(document.metadata), date: '1999-13' }} errors={{ date: 'documents.invalid.date', title: 'documents.invalid.tooLong' }} busy={false} onChange={none} onSubmit={none} />,
    );
    expect(doc.byTestId('metadata-error-date')[0]?.text).toBe('A year, a month or a day that exists: YYYY, YYYY-MM or YYYY-MM-DD.');
    expect(doc.byTestId('metadata-error-title')[0]?.text).toBe('Too long.');
    expect(doc.byTestId('metadata-date')[0]?.attributes['aria-invalid']).toBe('true');
    expect(doc.byTestId('metadata-caseNumber')[0]?.attributes['aria-invalid']).toBeUndefined();
  });

  it('offers every field of the contract’s metadata, sensitivity as a choice', () => {
    const doc = renderStatic(<MetadataFormView draft={draftOf(document.metadata)} errors={{}} busy={false} onChange={none} onSubmit={none} />);
    for (const field of ['title', 'caseNumber', 'documentType', 'date', 'institution', 'persons', 'sensitivity', 'notes', 'tags']) {
      expect(doc.byTestId(`metadata-${field}`), field).toHaveLength(1);
    }
    expect(doc.byTestId('metadata-sensitivity')[0]?.text).toBe('PublicInternalRestrictedConfidentialSecret');
  });
});

describe('what the editor tells the clerk', () => {
  const render = (notice: Parameters<typeof EditorNoticeView>[0]['notice'], newerElsewhere = false) =>
    renderStatic(<EditorNoticeView notice={notice} newerElsewhere={newerElsewhere} onReload={none} onOpenDocument={none} />);

  it('shows a conflict plainly, with the services’ explanation and a reload', () => {
    const doc = render({ kind: 'conflict', message: 'Document 3f2a9c1e has changed since you opened it (now at revision 6, you had 3). Reload it and try again.' });
    const [conflict] = doc.byTestId('document-conflict');
    expect(conflict?.attributes['role']).toBe('alert');
    expect(conflict?.text).toContain('changed elsewhere meanwhile, so your change was not saved');
    expect(conflict?.text).toContain('now at revision 6');
    expect(doc.byTestId('document-reload')[0]?.text).toBe('Reload');
  });

  it('offers a reload when the catalog heard of a newer revision', () => {
    expect(render(null, true).byTestId('document-newer')[0]?.text).toContain('changed elsewhere since it was opened');
    expect(render(null).byTestId('document-reload')).toEqual([]);
  });

  it('names the file an export was saved as, and offers the document a split made', () => {
    expect(render({ kind: 'exported', fileName: '2019-0457-IML-3f2a9c1e.pdf' }).byTestId('document-notice')[0]?.text).toBe('Saved as 2019-0457-IML-3f2a9c1e.pdf.');
    const split = render({ kind: 'split', created: { ...documentRecord(OTHER), pages: document.pages.slice(1) } });
    expect(split.byTestId('document-notice')[0]?.text).toContain('2 pages moved to a new document');
    expect(split.byTestId('open-split-document')).toHaveLength(1);
  });

  it('shows a failure with its kind and the services’ message', () => {
    expect(render({ kind: 'failed', error: { code: 'payload-too-large', message: 'The PDF is 52 MB, too large to send to the window' } }).byTestId('document-error')[0]?.text).toBe(
      'The file is too large — The PDF is 52 MB, too large to send to the window',
    );
  });
});

describe('the history', () => {
  it('lists every revision, newest first, with what was done', () => {
    const doc = renderStatic(<DocumentHistoryView history={history} />);
    expect(doc.byTestId('history-entry').map((entry) => entry.attributes['data-action'])).toEqual(['rotate', 'update-metadata', 'create']);
    expect(doc.byTestId('history-entry')[1]?.text).toContain('Metadata: Metadata changed: caseNumber, persons');
    expect(doc.byTestId('document-history')[0]?.text).toContain('History (3 changes)');
  });
});
