import { PackedRows, UINT16_ROWS } from './packed-rows';

/** Every page's word fingerprints (see wordFingerprint), in the order the words stand (see PackedRows). */
export interface FingerprintsSnapshot {
  readonly words: Uint16Array;
  /** Where each page's fingerprints start in `words` (one more than pages). */
  readonly offsets: Uint32Array;
  /** Per page, PAIR_BITS bits: which pairs of neighbouring words it holds (see pairBit). */
  readonly pairs: Uint32Array;
}

/**
 * A page's neighbouring pairs of words, hashed into this many bits: a phrase whose pairs' bits are
 * not all set is not on the page, which rules out three pages in four before their words are read.
 */
const PAIR_BITS = 1024;
const PAIR_WORDS = PAIR_BITS / 32;

/** The bit of a pair of neighbouring fingerprints. */
function pairBit(first: number, second: number): number {
  return Math.imul(first ^ Math.imul(second, 0x85ebca77), 0x9e3779b1) >>> (32 - Math.log2(PAIR_BITS));
}

export class WordFingerprints {
  #words = new PackedRows(UINT16_ROWS);
  #pairs: Uint32Array = new Uint32Array(PAIR_WORDS * 1024);
  /** The pairs as `snapshot` last copied them, handed out again while they are unchanged. */
  #savedPairs: Uint32Array = new Uint32Array(0);
  #pairsChanged = false;

  static fromSnapshot(snapshot: FingerprintsSnapshot): WordFingerprints {
    const pageCount = snapshot.offsets.length - 1;
    if (pageCount < 0 || snapshot.offsets[pageCount] !== snapshot.words.length) throw new Error('The saved search index is damaged (words).');
    if (snapshot.pairs.length !== pageCount * PAIR_WORDS) throw new Error('The saved search index is damaged (word pairs).');
    const fingerprints = new WordFingerprints();
    fingerprints.#words = new PackedRows(UINT16_ROWS, snapshot.words, snapshot.offsets);
    fingerprints.#pairs = snapshot.pairs;
    return fingerprints;
  }

  get count(): number {
    return this.#words.count;
  }

  /** Stores a page's fingerprints as the next page; returns its page number. */
  add(words: readonly number[]): number {
    const page = this.#words.push(Uint16Array.from(words));
    if ((page + 1) * PAIR_WORDS > this.#pairs.length) {
      const grown = new Uint32Array(Math.max(PAIR_WORDS * 1024, this.#pairs.length * 2));
      grown.set(this.#pairs);
      this.#pairs = grown;
    }
    for (let i = 1; i < words.length; i++) {
      const bit = pairBit(words[i - 1] ?? 0, words[i] ?? 0);
      const at = page * PAIR_WORDS + (bit >>> 5);
      this.#pairs[at] = (this.#pairs[at] ?? 0) | (1 << (bit & 31));
    }
    this.#pairsChanged = true;
    return page;
  }

  clear(page: number): void {
    if (page >= this.#words.count) return;
    this.#words.replace(page, UINT16_ROWS.empty);
    this.#pairs.fill(0, page * PAIR_WORDS, (page + 1) * PAIR_WORDS);
    this.#pairsChanged = true;
  }

  /** The fingerprint of the page's word at `position`, or undefined past its last word. */
  at(page: number, position: number): number | undefined {
    return this.#words.at(page, position);
  }

  /**
   * Whether the page holds `wanted` as a run of neighbouring words. A plain scan over 16-bit
   * numbers: a phrase's candidates are thousands of pages, and reading and folding each one's
   * text cost hundreds of milliseconds per query.
   */
  holds(page: number, wanted: Uint16Array): boolean {
    const first = wanted[0];
    if (first === undefined) return true;
    for (let i = 1; i < wanted.length; i++) {
      const bit = pairBit(wanted[i - 1] ?? 0, wanted[i] ?? 0);
      if ((((this.#pairs[page * PAIR_WORDS + (bit >>> 5)] ?? 0) >>> (bit & 31)) & 1) === 0) return false;
    }
    const words = this.#words.row(page);
    const length = wanted.length;
    // indexOf is native and far faster than a loop for the first word, which is mostly absent.
    for (let at = words.indexOf(first); at >= 0 && at + length <= words.length; at = words.indexOf(first, at + 1)) {
      let all = true;
      for (let i = 1; i < length && all; i++) all = words[at + i] === wanted[i];
      if (all) return true;
    }
    return false;
  }

  /** The rows packed (see PackedRows); the pairs are copied again only when they changed. */
  snapshot(): FingerprintsSnapshot {
    const { rows: words, offsets } = this.#words.pack();
    if (this.#pairsChanged || this.#savedPairs.length !== this.#words.count * PAIR_WORDS) {
      this.#savedPairs = this.#pairs.slice(0, this.#words.count * PAIR_WORDS);
      this.#pairsChanged = false;
    }
    return { words, offsets, pairs: this.#savedPairs };
  }
}
