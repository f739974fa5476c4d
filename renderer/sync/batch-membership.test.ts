import { describe, expect, it } from 'vitest';
import { batchOf, changed } from '../test-support/batches';
import { pageId } from '../test-support/pages';
import { createBatchMembership } from './batch-membership';

describe('createBatchMembership', () => {
  it('tells each page its batch, and no batch for a page in none', () => {
    const [a, b, loose] = [pageId(), pageId(), pageId()];
    const membership = createBatchMembership();
    const batch = batchOf([a, b]);
    expect(membership.set(batch).sort()).toEqual([a, b].sort());
    expect(membership.batchOf(a)?.id).toBe(batch.id);
    expect(membership.batchOf(loose)).toBeUndefined();
  });

  it('reports the pages that left a batch as well as those in it, and forgets them', () => {
    const [a, b, c] = [pageId(), pageId(), pageId()];
    const membership = createBatchMembership();
    const batch = batchOf([a, b]);
    membership.set(batch);
    const next = changed(batch, { pages: [{ pageId: c, addedAt: '2026-11-11T00:00:00.000Z', addedBy: 'arta' }] });
    expect(membership.set(next).sort()).toEqual([a, b, c].sort());
    expect(membership.batchOf(a)).toBeUndefined();
    expect(membership.batchOf(c)?.history).toHaveLength(2);
    expect(membership.remove(batch.id)).toEqual([c]);
    expect(membership.batchOf(c)).toBeUndefined();
  });

  it('counts a page filed in two batches as in the one it was added to last', () => {
    const page = pageId();
    const membership = createBatchMembership();
    const earlier = batchOf([page]);
    const later = batchOf([]);
    membership.set({ ...later, pages: [{ pageId: page, addedAt: '2026-11-12T00:00:00.000Z', addedBy: 'arta' }] });
    membership.set(earlier);
    expect(membership.batchOf(page)?.id).toBe(later.id);
    membership.remove(later.id);
    expect(membership.batchOf(page)?.id).toBe(earlier.id);
  });
});
