import { describe, expect, it } from 'vitest';
import { tokenize, tokenizeWithOffsets } from './tokenize';

describe('tokenize', () => {
  it('splits on spaces and punctuation', () => {
    expect(tokenize('Raporti nr. 12/1999, Prishtinë.')).toEqual(['Raporti', 'nr', '12', '1999', 'Prishtinë']);
  });

  it('keeps letters of every script whole, accented or not', () => {
    expect(tokenize('Đorđević — Ђорђевић; Çelë')).toEqual(['Đorđević', 'Ђорђевић', 'Çelë']);
  });

  it('does not split decomposed letters at their combining marks', () => {
    expect(tokenize('Prishtinë'.normalize('NFD'))).toEqual(['Prishtinë'.normalize('NFD')]);
  });

  it('treats apostrophes, hyphens and symbols as separators', () => {
    expect(tokenize("t'i O'Brien e-mail §4 a+b")).toEqual(['t', 'i', 'O', 'Brien', 'e', 'mail', '4', 'a', 'b']);
  });

  it('returns nothing for empty text and text without words', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' .,;:!?()[]{}*+^$|\\/ ')).toEqual([]);
  });

  it('reports where each word stands in the original text', () => {
    const text = '  Nr. Ferizaj\n';
    const tokens = tokenizeWithOffsets(text);
    expect(tokens).toEqual([
      { text: 'Nr', start: 2, end: 4 },
      { text: 'Ferizaj', start: 6, end: 13 },
    ]);
    for (const token of tokens) expect(text.slice(token.start, token.end)).toBe(token.text);
  });
});
