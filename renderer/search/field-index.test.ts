import { describe, expect, it } from 'vitest';
import { boundedEditDistance, FieldIndex, scanSortedTerms } from './field-index';

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

  /** Document numbers with gaps of one byte and of several, and terms each page holds, some new. */
  const docNums = [0, 1, 2, 5, 130, 131, 400, 20_000, 20_001, 300_000, 300_200];
  const VOCABULARY = ['arkiv', 'dëshmi', 'raport', 'zyra', 'ölçü', 'Ω', 'qytet', 'a', 'zz', 'bb', 'dosja', 'ë'];
  const termsOf = (i: number) => {
    const terms = new Map<string, number>();
    for (let k = 0; k < 3 + (i % 4); k++) terms.set(`${VOCABULARY[(i * 7 + k * 5) % VOCABULARY.length] ?? ''}${k === 3 ? i : ''}`, 1 + ((i * 37 + k) % 300));
    return terms;
  };
  const addPage = (field: FieldIndex, i: number) => field.add(docNums[i] ?? 0, termsOf(i), 10 + i);
  /** A snapshot but for the lengths array, whose capacity depends on how pages came. */
  const postingsOf = (field: FieldIndex) => {
    const { lengths: _capacity, ...rest } = field.snapshot();
    return { ...rest, lengths: docNums.map((doc) => field.length(doc)) };
  };
  /** Every page at once, plus one more removed again: removals take the full merge. */
  const mergedInFull = (pages: number) => {
    const field = new FieldIndex();
    for (let i = 0; i < pages; i++) addPage(field, i);
    const extra = (docNums[pages - 1] ?? 0) + 1;
    field.add(extra, tf({ raport: 2, extra: 1 }), 3);
    field.remove(extra);
    field.freeze((doc) => doc !== extra);
    return field;
  };

  it('gives the same arrays when pages are appended across freezes, and a snapshot round trip, as a full merge', () => {
    let field = new FieldIndex();
    for (const [from, to] of [[0, 3], [3, 4], [4, 7], [7, 11]] as const) {
      for (let i = from; i < to; i++) addPage(field, i);
      field.freeze(live);
      expect(postingsOf(field)).toEqual(postingsOf(mergedInFull(to)));
      // The next freeze works out each term's last document again from the snapshot's bytes.
      field = FieldIndex.fromSnapshot(structuredClone(field.snapshot()));
    }
    const withRaport = docNums.filter((_, i) => termsOf(i).has('raport'));
    expect(withRaport.length).toBeGreaterThan(2);
    expect(postings(field, 'raport').map(([doc]) => doc)).toEqual(withRaport);
  });

  it('hands out the same arrays again when nothing changed since the last freeze', () => {
    const field = new FieldIndex();
    for (let i = 0; i < 5; i++) addPage(field, i);
    field.freeze(live);
    const first = field.snapshot();
    field.freeze(live);
    const second = field.snapshot();
    expect(second.docs).toBe(first.docs);
    expect(second.terms).toBe(first.terms);
  });

  it('still drops the postings of a page removed since the last freeze, as a build without it gives', () => {
    const field = new FieldIndex();
    for (let i = 0; i < 6; i++) addPage(field, i);
    field.freeze(live);
    for (let i = 6; i < 11; i++) addPage(field, i);
    const removed = docNums[4] ?? 0;
    field.remove(removed);
    field.freeze((doc) => doc !== removed);

    const without = new FieldIndex();
    for (let i = 0; i < 11; i++) if (i !== 4) addPage(without, i);
    without.freeze(live);
    expect(postingsOf(field)).toEqual(postingsOf(without));
    for (const term of termsOf(4).keys()) expect(postings(field, term).map(([doc]) => doc)).not.toContain(removed);
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

describe('scanSortedTerms', () => {
  it('finds the same terms at the same distances as comparing each one, skipping none within reach', () => {
    const words = ['gashi', 'gasi', 'gashti', 'gazi', 'gashija', 'berisha', 'berlsha', 'krasniqi', 'krasnici', 'krasniq', 'kra', 'hamiti', 'harniti', 'hamit', 'hoxha', 'hoxhaj', 'gjoka'];
    const letters = 'abghijklmnoqrstxz';
    for (let i = 0; i < 400; i++) words.push(Array.from({ length: 3 + (i % 6) }, (_, j) => letters[(i * 7 + j * 13 + (i >> 3)) % letters.length]).join(''));
    const sortedTerms = [...new Set(words)].sort();
    for (const term of ['gashi', 'krasniqi', 'hamiti', 'berisha', 'hoxha', 'abgh', 'zzzzz']) {
      for (const maxEdits of [1, 2]) {
        const expected = sortedTerms.filter((candidate) => boundedEditDistance(term, candidate, maxEdits) <= maxEdits).map((candidate) => `${candidate}:${boundedEditDistance(term, candidate, maxEdits)}`);
        const found: string[] = [];
        scanSortedTerms(term, maxEdits, sortedTerms, 0, () => false, (index, distance) => found.push(`${sortedTerms[index]}:${distance}`));
        expect(found).toEqual(expected);
      }
    }
  });
});
