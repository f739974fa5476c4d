import { describe, expect, it } from 'vitest';
import { planQuery } from './query-plan';

describe('planQuery', () => {
  it('folds words and keeps them in order', () => {
    expect(planQuery('Raport GASHI')).toEqual([
      { kind: 'word', word: 'raport' },
      { kind: 'word', word: 'gashi' },
    ]);
  });

  it('turns quoted words into a phrase, and a quoted single word into a word', () => {
    expect(planQuery('"raport policor" gashi "Pejë"')).toEqual([
      { kind: 'phrase', words: ['raport', 'policor'] },
      { kind: 'word', word: 'peje' },
      { kind: 'word', word: 'gashi' },
    ]);
  });

  it('expands place names through the gazetteer, in any script', () => {
    const [clause] = planQuery('Пећ');
    expect(clause?.kind).toBe('place');
    if (clause?.kind !== 'place') return;
    expect(clause.typed).toEqual(['pec']);
    expect(clause.names.map((name) => name.join(' '))).toEqual(expect.arrayContaining(['peje', 'peja', 'pec']));
  });

  it('has no clauses for queries without words, and bounds long ones', () => {
    expect(planQuery('')).toEqual([]);
    expect(planQuery('"" .*+?')).toEqual([]);
    expect(planQuery('"unclosed phrase')).toEqual([{ kind: 'phrase', words: ['unclosed', 'phrase'] }]);
    expect(planQuery(Array.from({ length: 500 }, (_, i) => `w${i}`).join(' ')).length).toBeLessThanOrEqual(12);
  });
});
