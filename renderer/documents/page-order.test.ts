import { describe, expect, it } from 'vitest';
import type { DocumentPage } from '../../common/api/contract';
import { pageId } from '../test-support/pages';
import { moveEdit } from './page-order';

const pages: DocumentPage[] = [1, 2, 3].map((n) => ({ pageId: pageId(n), rotation: 0 }));

describe('moveEdit', () => {
  it('moves a page one place up or down as a reorder of the whole document', () => {
    expect(moveEdit(pages, 2, -1)).toEqual({ op: 'reorder', pageIds: [pageId(1), pageId(3), pageId(2)] });
    expect(moveEdit(pages, 0, 1)).toEqual({ op: 'reorder', pageIds: [pageId(2), pageId(1), pageId(3)] });
  });

  it('has nothing to send for the first page going up, the last going down, or a position outside the document', () => {
    expect(moveEdit(pages, 0, -1)).toBeNull();
    expect(moveEdit(pages, 2, 1)).toBeNull();
    expect(moveEdit(pages, 5, -1)).toBeNull();
  });
});
