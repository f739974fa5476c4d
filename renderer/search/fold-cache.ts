import { foldForSearch } from '../../common/text/fold';
import { variantKey } from '../../common/text/variant-key';

/**
 * Folding runs for every word of every page indexed and every word of every snippet, and
 * archives repeat their words, so foldings are remembered. Bounded, so OCR noise cannot grow
 * the memo without end.
 */
const MAX_ENTRIES = 200_000;
const folds = new Map<string, string>();
const keys = new Map<string, string | null>();

export function foldWord(word: string): string {
  let folded = folds.get(word);
  if (folded === undefined) {
    folded = foldForSearch(word);
    if (folds.size >= MAX_ENTRIES) folds.clear();
    folds.set(word, folded);
  }
  return folded;
}

export function variantKeyOf(folded: string): string | null {
  let key = keys.get(folded);
  if (key === undefined) {
    key = variantKey(folded);
    if (keys.size >= MAX_ENTRIES) keys.clear();
    keys.set(folded, key);
  }
  return key;
}
