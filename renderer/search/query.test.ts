import { describe, expect, it } from 'vitest';
import { QUERY_LIMITS, queryWords } from './query';

describe('queryWords', () => {
  it('splits a query into its words', () => {
    expect(queryWords('  Prishtinë, 1999! ')).toEqual(['Prishtinë', '1999']);
  });

  it('finds no words in empty, blank or punctuation-only queries', () => {
    for (const query of ['', '   ', '.*+?^${}()|[]\\', '---', '"\'']) expect(queryWords(query)).toEqual([]);
  });

  it('drops repeated words', () => {
    expect(queryWords('nr nr nr raport')).toEqual(['nr', 'raport']);
  });

  it('bounds a pasted wall of text', () => {
    const words = queryWords(Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' '));
    expect(words.length).toBe(QUERY_LIMITS.maxTerms);
    const long = queryWords('a'.repeat(5000));
    expect(long).toEqual(['a'.repeat(QUERY_LIMITS.maxTermChars)]);
  });
});
