/**
 * Words are runs of letters, combining marks and digits in any script, so Albanian, Serbian
 * Cyrillic and Latin, and decomposed text (e + ◌̈) all stay whole. Everything else (spaces,
 * punctuation, symbols, OCR noise) separates words.
 */
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

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
