import { describe, expect, it } from 'vitest';
import { characterErrorRate, editDistance } from './character-error-rate';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('sitting', 'kitten')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
  });

  it('treats a letter with a diacritic as one character', () => {
    expect(editDistance('çelës', 'celes')).toBe(2);
    expect(editDistance('Ђорђе', 'Ђорђе')).toBe(0);
  });
});

describe('characterErrorRate', () => {
  it('is the edit distance per character of the ground truth', () => {
    expect(characterErrorRate('quick brovn fox', 'quick brown fox')).toBeCloseTo(1 / 15);
  });

  it('ignores layout: line breaks, blank lines and runs of spaces', () => {
    expect(characterErrorRate('The quick\n\nbrown  dog\n', 'The quick brown dog')).toBe(0);
  });

  it('is 1 for text where there should be none, 0 for none where there is none', () => {
    expect(characterErrorRate('noise', '')).toBe(1);
    expect(characterErrorRate('  \n', '')).toBe(0);
  });
});
