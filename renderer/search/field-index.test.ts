import { describe, expect, it } from 'vitest';
import { boundedEditDistance, FieldIndex } from './field-index';

const live = () => true;
const tf = (entries: Record<string, number>) => new Map(Object.entries(entries));

function postings(field: FieldIndex, term: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  field.forEachPosting(term, (doc, count) => found.push([doc, count]));
  return found;
}

describe('FieldIndex', () => {
  it('finds postings before and after they are frozen into the compact arrays', () => {
    const field = new FieldIndex();
    field.add(0, tf({ raport: 2, prishtine: 1 }), 3);
    field.add(1, tf({ raport: 1 }), 1);
    expect(postings(field, 'raport')).toEqual([[0, 2], [1, 1]]);
    field.freeze(live);
    field.add(2, tf({ raport: 1, deklarate: 1 }), 2);
    expect(postings(field, 'raport')).toEqual([[0, 2], [1, 1], [2, 1]]);
    expect(field.documentFrequency('raport')).toBe(3);
    field.freeze(live);
    expect(postings(field, 'raport')).toEqual([[0, 2], [1, 1], [2, 1]]);
    expect(postings(field, 'deklarate')).toEqual([[2, 1]]);
    expect(field.has('nothing')).toBe(false);
  });

  it('drops postings of removed pages when it freezes', () => {
    const field = new FieldIndex();
    field.add(0, tf({ raport: 1 }), 1);
    field.add(1, tf({ raport: 1, vjeter: 1 }), 2);
    field.remove(1);
    field.freeze((doc) => doc !== 1);
    expect(postings(field, 'raport')).toEqual([[0, 1]]);
    expect(field.has('vjeter')).toBe(false);
    expect(field.totalLength).toBe(1);
  });

  it('lists terms by prefix and within a few edits, the most frequent first and bounded', () => {
    const field = new FieldIndex();
    field.add(0, tf({ prishtina: 1, prizren: 1, berisha: 1 }), 3);
    field.add(1, tf({ prishtina: 1, berlsha: 1 }), 2);
    field.freeze(live);
    expect(field.termsWithPrefix('pri', 10).sort()).toEqual(['prishtina', 'prizren']);
    expect(field.termsWithPrefix('pri', 1)).toEqual(['prishtina']);
    expect(field.fuzzyTerms('berisa', 1, 10).map((match) => match.term).sort()).toEqual(['berisha']);
    expect(field.fuzzyTerms('berisha', 1, 10)).toEqual([{ term: 'berlsha', edits: 1 }]);
  });

  it('survives a snapshot round trip', () => {
    const field = new FieldIndex();
    field.add(0, tf({ a1: 1, b2: 3 }), 4);
    field.freeze(live);
    const copy = FieldIndex.fromSnapshot(structuredClone(field.snapshot()));
    expect(postings(copy, 'b2')).toEqual([[0, 3]]);
    expect(copy.length(0)).toBe(4);
  });

  it('refuses a damaged snapshot', () => {
    const field = new FieldIndex();
    field.add(0, tf({ a1: 1 }), 1);
    field.freeze(live);
    expect(() => FieldIndex.fromSnapshot({ ...field.snapshot(), offsets: new Uint32Array(5) })).toThrow(/damaged/);
  });
});

describe('boundedEditDistance', () => {
  it('counts edits and gives up past the bound', () => {
    expect(boundedEditDistance('gashi', 'gashi', 2)).toBe(0);
    expect(boundedEditDistance('gashi', 'gasi', 2)).toBe(1);
    expect(boundedEditDistance('hamiti', 'harniti', 2)).toBe(2);
    expect(boundedEditDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});
