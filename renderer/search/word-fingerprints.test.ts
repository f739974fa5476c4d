import { describe, expect, it } from 'vitest';
import { WordFingerprints } from './word-fingerprints';

const run = (...values: number[]) => Uint16Array.from(values);

describe('WordFingerprints', () => {
  it('finds a run of neighbouring words, in order, and nothing else', () => {
    const words = new WordFingerprints();
    const page = words.add([5, 7, 9, 7, 5]);
    expect(words.holds(page, run(7, 9))).toBe(true);
    expect(words.holds(page, run(7, 5))).toBe(true);
    expect(words.holds(page, run(9, 7, 5))).toBe(true);
    expect(words.holds(page, run(5, 9))).toBe(false);
    expect(words.holds(page, run(5, 7, 9, 7, 5, 1))).toBe(false);
    expect(words.at(page, 2)).toBe(9);
    expect(words.at(page, 5)).toBeUndefined();
  });

  it('answers the same from a snapshot, keeps pages apart, and forgets a cleared page', () => {
    const words = new WordFingerprints();
    words.add([1, 2]);
    words.add([3, 4]);
    const reopened = WordFingerprints.fromSnapshot(structuredClone(words.snapshot()));
    expect(reopened.holds(0, run(1, 2))).toBe(true);
    expect(reopened.holds(0, run(2, 3))).toBe(false);
    expect(reopened.at(1, 0)).toBe(3);
    expect(reopened.at(1, 2)).toBeUndefined();
    const added = reopened.add([2, 3]);
    expect(reopened.holds(added, run(2, 3))).toBe(true);
    reopened.clear(0);
    expect(reopened.holds(0, run(1, 2))).toBe(false);
    const again = WordFingerprints.fromSnapshot(structuredClone(reopened.snapshot()));
    expect(again.count).toBe(3);
    expect(again.holds(0, run(1))).toBe(false);
    expect(again.holds(2, run(2, 3))).toBe(true);
  });

  it('packs pages added or cleared after a snapshot as one snapshot of the same changes would', () => {
    const rows = [[1, 2, 3], [], [4, 5], [6, 7, 8, 9]];
    const stepped = new WordFingerprints();
    const once = new WordFingerprints();
    for (const row of rows) {
      stepped.add(row);
      once.add(row);
    }
    const reopened = WordFingerprints.fromSnapshot(structuredClone(stepped.snapshot()));
    for (const words of [reopened, once]) {
      words.add([10, 11]);
      words.clear(2);
      words.add([12]);
    }
    expect(reopened.snapshot()).toEqual(once.snapshot());
    const unchanged = reopened.snapshot();
    expect(reopened.snapshot().words).toBe(unchanged.words);
    expect(reopened.snapshot().pairs).toBe(unchanged.pairs);
  });

  it('agrees with reading every word, on many pages and phrases', () => {
    const words = new WordFingerprints();
    const pages = Array.from({ length: 200 }, (_, page) => Array.from({ length: 300 }, (_, i) => (page * 31 + i * i * 7) % 97));
    for (const page of pages) words.add(page);
    const reopened = WordFingerprints.fromSnapshot(structuredClone(words.snapshot()));
    for (let phrase = 0; phrase < 50; phrase++) {
      const wanted = run(phrase % 97, (phrase * 13) % 97, (phrase * 29) % 97).subarray(0, 2 + (phrase % 2));
      pages.forEach((page, n) => {
        const expected = page.some((_, at) => Array.from(wanted).every((value, i) => page[at + i] === value));
        expect(reopened.holds(n, wanted)).toBe(expected);
      });
    }
  });

  it('refuses a damaged snapshot', () => {
    const words = new WordFingerprints();
    words.add([1, 2]);
    const snapshot = words.snapshot();
    expect(() => WordFingerprints.fromSnapshot({ ...snapshot, words: run(1) })).toThrow(/damaged/);
  });
});
