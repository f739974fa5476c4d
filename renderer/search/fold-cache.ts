import { foldForSearch } from '../../common/text/fold';
import { variantKey } from '../../common/text/variant-key';

/**
 * Folding runs for every word of every page indexed and every word of every snippet, and
 * archives repeat their words, so foldings are remembered, one lookup per word as written.
 * Bounded, so OCR noise cannot grow the memo without end.
 */
const MAX_ENTRIES = 300_000;

export interface FoldedForms {
  readonly folded: string;
  /** The variant key (common/text/variant-key), or null for short words and numbers. */
  readonly key: string | null;
}

const forms = new Map<string, FoldedForms>();
const keys = new Map<string, string | null>();

export function foldedForms(word: string): FoldedForms {
  let found = forms.get(word);
  if (found === undefined) {
    const folded = foldForSearch(word);
    found = { folded, key: variantKeyOf(folded) };
    if (forms.size >= MAX_ENTRIES) forms.clear();
    forms.set(word, found);
  }
  return found;
}

export function foldWord(word: string): string {
  return foldedForms(word).folded;
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
