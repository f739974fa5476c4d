import { foldForSearch } from '../../common/text/fold';
import { VARIANT_KEY_PREFIX, variantKey } from '../../common/text/variant-key';

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
  /** See wordFingerprint. */
  readonly fingerprint: number;
}

const forms = new Map<string, FoldedForms>();
const keys = new Map<string, string | null>();

export function foldedForms(word: string): FoldedForms {
  let found = forms.get(word);
  if (found === undefined) {
    const folded = foldForSearch(word);
    const key = variantKeyOf(folded);
    found = { folded, key, fingerprint: fingerprintOf(key ?? folded) };
    if (forms.size >= MAX_ENTRIES) forms.clear();
    forms.set(word, found);
  }
  return found;
}

/**
 * A 16-bit fingerprint of a folded word, taken from its variant key where it has one, so that every
 * word a term matches (by folding or by key) shares the term's fingerprint. The index keeps one per
 * word of each page, in order, and finds phrases and the words to show in snippets on them without
 * folding the page's text; words with other fingerprints cannot match, and the few unequal words
 * that share one are told apart on the text.
 */
export function wordFingerprint(folded: string): number {
  return fingerprintOf(variantKeyOf(folded) ?? folded);
}

/** The fingerprint of a search term as the index holds it: a folded word, or a variant key. */
export function termFingerprint(term: string): number {
  return term.startsWith(VARIANT_KEY_PREFIX) ? fingerprintOf(term) : wordFingerprint(term);
}

/** FNV-1a, folded to 16 bits. */
function fingerprintOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash ^ (hash >>> 16)) & 0xffff;
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
