import { foldedForms } from './fold-cache';

/**
 * Whether a word as written on the page is one of the matched terms a search reported: its
 * folding is one of them ("Prishtinë" for "prishtine"), or its variant key is (so "Приштина"
 * marks "Prishtinë" when the search matched through the key).
 */
export function termMatcher(terms: Iterable<string>): (word: string) => boolean {
  const wanted = new Set(terms);
  if (wanted.size === 0) return () => false;
  return (word) => {
    const { folded, key } = foldedForms(word);
    return wanted.has(folded) || (key !== null && wanted.has(key));
  };
}
