/**
 * Words are runs of letters, combining marks and digits in any script, so Albanian, Serbian
 * Cyrillic and Latin, and decomposed text (e + ◌̈) all stay whole. Everything else (spaces,
 * punctuation, symbols, OCR noise) separates words.
 */
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * A fresh matcher for the same words, for reading a text one word at a time with `exec`, when
 * a caller stops early or needs each word's position (snippets, phrase checks). Fresh each
 * time, since a global pattern carries its position.
 */
export function wordMatcher(): RegExp {
  return new RegExp(WORD.source, WORD.flags);
}

export interface Token {
  readonly text: string;
  /** Offsets into the original string, so callers can mark the word where it stands. */
  readonly start: number;
  readonly end: number;
}

/** Shaped for MiniSearch's `tokenize` option: the raw words, folding happens in `processTerm`. */
export function tokenize(text: string): string[] {
  return text.match(WORD) ?? [];
}

export function tokenizeWithOffsets(text: string): Token[] {
  return Array.from(text.matchAll(WORD), (match) => ({
    text: match[0],
    start: match.index,
    end: match.index + match[0].length,
  }));
}
