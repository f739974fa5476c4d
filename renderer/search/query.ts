import { tokenize } from '../../common/text/tokenize';

/**
 * Bounds on what a query may cost. Anything typed or pasted into the search box reaches the index,
 * so a pasted page of text must not turn into thousands of fuzzy lookups.
 */
export const QUERY_LIMITS = {
  /** Characters of the query that are read at all. */
  maxChars: 500,
  /** Distinct words searched for. */
  maxTerms: 12,
  /** Characters of one word; longer "words" are OCR noise or pasted junk. */
  maxTermChars: 48,
} as const;

/**
 * The words of a query as the index should see them: the original words (folding happens in the
 * index's processTerm), de-duplicated and bounded. Empty when there is nothing to search for.
 */
export function queryWords(query: string): string[] {
  const words = tokenize(query.slice(0, QUERY_LIMITS.maxChars)).map((word) => word.slice(0, QUERY_LIMITS.maxTermChars));
  return [...new Set(words)].slice(0, QUERY_LIMITS.maxTerms);
}
