import { describe, expect, it } from 'vitest';
import type { DocumentChange, DocumentRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { fakeApi } from '../test-support/fake-api';
import { documentRecord, pageId } from '../test-support/pages';
import { applyDocumentAction, conflictOf } from './document-actions';

const ID = '3f2a9c1e-0000-4000-8000-000000000001';
const OTHER = '3f2a9c1e-0000-4000-8000-000000000002';
const shown: DocumentRecord = { ...documentRecord(ID, { caseNumber: '2019/0457-IML' }), revision: 4, pages: [1, 2, 3].map((n) => ({ pageId: pageId(n), rotation: 0 as const })) };
const next = (patch: Partial<DocumentRecord> = {}): DocumentRecord => ({ ...shown, revision: 5, ...patch });
const change = (revision: number, action: DocumentChange['action']): DocumentChange => ({ revision, at: '2026-12-01T10:00:00.000Z', action, summary: action });
const stale = new ApiError('conflict', 'Document 3f2a9c1e has changed since you opened it (now at revision 6, you had 4). Reload it and try again.', {
  reason: 'stale-revision',
  revision: 6,
});

describe('applyDocumentAction', () => {
  it('sends every kind of change with the revision on screen', async () => {
    const fake = fakeApi({
      'documents.update': async () => ({ document: next() }),
      'documents.editPages': async () => ({ document: next() }),
      'documents.splitPages': async () => ({ document: next(), created: { ...documentRecord(OTHER), pages: [{ pageId: pageId(3), rotation: 0 }] } }),
      'documents.merge': async () => ({ document: next() }),
      'documents.delete': async () => ({ document: next({ deleted: true }) }),
      'documents.get': async () => ({ document: next(), history: [change(5, 'reorder')] }),
    });
    await applyDocumentAction(fake.api, shown, { kind: 'metadata', patch: { title: 'Raport' } });
    await applyDocumentAction(fake.api, shown, { kind: 'pages', edit: { op: 'rotate', pageIds: [pageId(2)], turn: 90 } });
    await applyDocumentAction(fake.api, shown, { kind: 'split', at: 2 });
    await applyDocumentAction(fake.api, shown, { kind: 'merge', sourceIds: [OTHER] });
    await applyDocumentAction(fake.api, shown, { kind: 'delete' });
    const edits = fake.calls.filter((call) => call.method !== 'documents.get');
    expect(edits).toEqual([
      { method: 'documents.update', input: { documentId: ID, expectedRevision: 4, metadata: { title: 'Raport' } } },
      { method: 'documents.editPages', input: { documentId: ID, expectedRevision: 4, edit: { op: 'rotate', pageIds: [pageId(2)], turn: 90 } } },
      { method: 'documents.splitPages', input: { documentId: ID, expectedRevision: 4, at: 2 } },
      { method: 'documents.merge', input: { documentId: ID, expectedRevision: 4, sourceIds: [OTHER] } },
      { method: 'documents.delete', input: { documentId: ID, expectedRevision: 4 } },
    ]);
  });

  it('answers with the changed document, its history read again, and the document a split made', async () => {
    const created = { ...documentRecord(OTHER), pages: [{ pageId: pageId(3), rotation: 0 as const }] };
    const history = [change(4, 'update-metadata'), change(5, 'split')];
    const fake = fakeApi({
      'documents.splitPages': async () => ({ document: next({ pages: shown.pages.slice(0, 2) }), created }),
      'documents.get': async () => ({ document: next({ pages: shown.pages.slice(0, 2) }), history }),
    });
    const outcome = await applyDocumentAction(fake.api, shown, { kind: 'split', at: 2 });
    expect(outcome).toEqual({ kind: 'done', document: next({ pages: shown.pages.slice(0, 2) }), history, created });
  });

  it('keeps the change when the history cannot be read afterwards', async () => {
    const fake = fakeApi({ 'documents.update': async () => ({ document: next() }) });
    expect(await applyDocumentAction(fake.api, shown, { kind: 'metadata', patch: { title: 'x' } })).toEqual({ kind: 'done', document: next(), history: null });
  });

  it('reports a stale revision as a conflict to reload, with the services’ explanation', async () => {
    const fake = fakeApi({ 'documents.editPages': async () => Promise.reject(stale) });
    const outcome = await applyDocumentAction(fake.api, shown, { kind: 'pages', edit: { op: 'reorder', pageIds: [pageId(2), pageId(1), pageId(3)] } });
    expect(outcome).toEqual({ kind: 'conflict', reason: 'stale-revision', revision: 6, message: stale.message });
    expect(fake.calls.map((call) => call.method)).toEqual(['documents.editPages']);
  });

  it('reports other failures as they came, without calling them conflicts', async () => {
    const fake = fakeApi({ 'documents.update': async () => Promise.reject(new ApiError('bad-request', 'date: YYYY, YYYY-MM or YYYY-MM-DD')) });
    expect(await applyDocumentAction(fake.api, shown, { kind: 'metadata', patch: { date: '1999' } })).toEqual({
      kind: 'failed',
      error: { code: 'bad-request', message: 'date: YYYY, YYYY-MM or YYYY-MM-DD' },
    });
  });

  it('reads a conflict’s reason from its details, and copes with details it does not know', () => {
    expect(conflictOf(stale)).toEqual({ message: stale.message, reason: 'stale-revision', revision: 6 });
    expect(conflictOf(new ApiError('conflict', 'gone', { reason: 'deleted' }))).toEqual({ message: 'gone', reason: 'deleted' });
    expect(conflictOf(new ApiError('conflict', 'odd', 'not an object'))).toEqual({ message: 'odd', reason: 'unknown' });
    expect(conflictOf(new ApiError('not-found', 'no'))).toBeNull();
    expect(conflictOf(new Error('plain'))).toBeNull();
  });
});
