import type { PageStatus } from '../../common/api/contract';

/**
 * Pages only move forward: stored (pending OCR), then recognized or failed. Events can arrive
 * out of order (a `page.stored` delivered after `page.recognized`, or a stale `pages.list`), so
 * a status of lower rank never replaces one of higher rank.
 */
const RANK: Readonly<Record<PageStatus, number>> = {
  'pending-ocr': 0,
  recognized: 1,
  failed: 1,
};

/**
 * Between equal ranks the later arrival wins: the contract carries no revision number, so a
 * re-run of OCR (failed, then recognized) can only be ordered by arrival.
 */
export function mayReplace(stored: PageStatus, incoming: PageStatus): boolean {
  return RANK[incoming] >= RANK[stored];
}
