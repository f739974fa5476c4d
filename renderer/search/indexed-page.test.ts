import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../common/api/contract';
import { batchOf } from '../test-support/batches';
import { pendingPage, recognizedPage } from '../test-support/pages';
import { toIndexedPage } from './indexed-page';

const page = recognizedPage(pendingPage(), 'Procesverbal i shkurtër.');
const document: DocumentRecord = {
  id: '0b1c2d3e-0000-4000-8000-00000000000a',
  revision: 1,
  createdAt: '2026-11-01T08:00:00.000Z',
  updatedAt: '2026-11-01T08:00:00.000Z',
  deleted: false,
  pages: [{ pageId: page.id, rotation: 0 }],
  metadata: { persons: ['Agim Gashi', 'Dragan Živković'], sensitivity: 'internal', tags: [], caseNumber: '2019/0457-IML', date: '1999-03' },
};

describe('toIndexedPage', () => {
  it('gives a page in a batch that batch’s id and state', () => {
    const batch = batchOf([page.id], { state: 'sealed' });
    expect(toIndexedPage(page, undefined, batch)).toMatchObject({ id: page.id, batchId: batch.id, batchState: 'sealed' });
  });

  it('gives a page in no batch neither a batch id nor a state, which is what `unbatched` selects', () => {
    const indexed = toIndexedPage(page);
    expect(indexed).not.toHaveProperty('batchId');
    expect(indexed).not.toHaveProperty('batchState');
  });

  it('keeps the batch beside the document’s fields, and without a live document', () => {
    const batch = batchOf([page.id], { state: 'synced' });
    expect(toIndexedPage(page, document, batch)).toMatchObject({
      documentId: document.id,
      caseNumber: '2019/0457-IML',
      persons: 'Agim Gashi; Dragan Živković',
      documentDate: '1999-03-01',
      batchId: batch.id,
      batchState: 'synced',
    });
    expect(toIndexedPage(page, { ...document, deleted: true }, batch)).toMatchObject({ batchId: batch.id, batchState: 'synced' });
    expect(toIndexedPage(page, { ...document, deleted: true }, batch)).not.toHaveProperty('documentId');
  });
});
