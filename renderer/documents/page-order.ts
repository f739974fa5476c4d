import type { DocumentPage, PageEdit } from '../../common/api/contract';

/**
 * The reorder edit that moves the page at `index` one place up (-1) or down (+1), or null when
 * it is already first or last. The contract's reorder takes the whole new order.
 */
export function moveEdit(pages: readonly DocumentPage[], index: number, delta: -1 | 1): PageEdit | null {
  const target = index + delta;
  if (index < 0 || index >= pages.length || target < 0 || target >= pages.length) return null;
  const pageIds = pages.map((page) => page.pageId);
  const [moved] = pageIds.splice(index, 1);
  if (moved === undefined) return null;
  pageIds.splice(target, 0, moved);
  return { op: 'reorder', pageIds };
}
