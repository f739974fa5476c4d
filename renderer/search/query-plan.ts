import { foldForSearch } from '../../common/text/fold';
import { findPlaces } from '../../common/text/gazetteer';
import { tokenize } from '../../common/text/tokenize';
import { QUERY_LIMITS } from './query';

/** One condition every result must meet. */
export type Clause =
  /** A word, matched exactly, by its variant key, and (if long enough) by prefix and with typos. */
  | { readonly kind: 'word'; readonly word: string }
  /** A place: any of its names in either language (each name's words all present). */
  | { readonly kind: 'place'; readonly typed: readonly string[]; readonly names: readonly (readonly string[])[] }
  /** Quoted words that must stand next to each other, in order. */
  | { readonly kind: 'phrase'; readonly words: readonly string[] };

const QUOTED = /"([^"]*)"?/g;

function foldedWords(text: string): string[] {
  return tokenize(text)
    .map((word) => foldForSearch(word.slice(0, QUERY_LIMITS.maxTermChars)))
    .filter((word) => word !== '');
}

/**
 * Turns what was typed into clauses: quoted phrases, place names (expanded through the
 * gazetteer), and the remaining words, de-duplicated and bounded so that a pasted page of text
 * costs no more than a dozen words.
 */
export function planQuery(query: string): Clause[] {
  const bounded = query.slice(0, QUERY_LIMITS.maxChars);
  const clauses: Clause[] = [];
  const loose = bounded.replace(QUOTED, (_quoted, inner: string) => {
    const words = foldedWords(inner).slice(0, QUERY_LIMITS.maxTerms);
    if (words.length === 1) clauses.push({ kind: 'word', word: words[0] as string });
    else if (words.length > 1) clauses.push({ kind: 'phrase', words });
    return ' ';
  });
  const words = [...new Set(foldedWords(loose))];
  const places = findPlaces(words);
  let next = 0;
  for (const place of places) {
    for (; next < place.start; next++) clauses.push({ kind: 'word', word: words[next] as string });
    clauses.push({ kind: 'place', typed: words.slice(place.start, place.start + place.length), names: place.names });
    next = place.start + place.length;
  }
  for (; next < words.length; next++) clauses.push({ kind: 'word', word: words[next] as string });
  return clauses.slice(0, QUERY_LIMITS.maxTerms);
}
