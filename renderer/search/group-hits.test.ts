import { describe, expect, it } from 'vitest';
import { groupHits } from './group-hits';
import type { PageHit } from './indexed-page';

const hit = (pageId: string, documentId: string, extra: Partial<PageHit> = {}): PageHit => ({
  pageId,
  documentId,
  score: 1,
  fileName: '',
  deviceId: '',
  capturedAt: '',
  snippet: [],
  terms: [],
  ...extra,
});

describe('groupHits', () => {
  it('puts the pages of one document together, where its best page ranked', () => {
    const groups = groupHits([
      hit('p1', 'd1', { documentTitle: 'Dosja 12', caseNumber: '12/1999' }),
      hit('p2', 'p2'),
      hit('p3', 'd1'),
    ]);
    expect(groups.map((group) => [group.documentId, group.hits.map((h) => h.pageId)])).toEqual([
      ['d1', ['p1', 'p3']],
      ['p2', ['p2']],
    ]);
    expect(groups[0]).toMatchObject({ title: 'Dosja 12', caseNumber: '12/1999' });
  });

  it('returns no groups for no hits', () => {
    expect(groupHits([])).toEqual([]);
  });
});
