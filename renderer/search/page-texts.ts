import { wordMatcher } from '../../common/text/tokenize';
import { BYTE_ROWS, PackedRows } from './packed-rows';

/**
 * The pages' texts, kept for snippets and for checking phrases, coded against a dictionary of the
 * pieces they are made of: words, and the runs of spaces and punctuation between them. Each page
 * is a run of dictionary numbers, seven bits a byte, and a single space after a word costs one bit.
 * An archive repeats its words, so this holds 100,000 pages in about a quarter of their UTF-8
 * bytes, and those bytes are most of what the index must read from IndexedDB at start. A text
 * comes back exactly as it was given.
 *
 * Written here rather than taken from a compression library (fflate, a zstd build): those
 * compress blocks, so reading one page for a snippet would mean inflating its whole block, while
 * here any page reads back on its own in about 30 µs, words already split at their boundaries.
 */
export interface TextsSnapshot {
  /** The dictionary's pieces in UTF-8, back to back, and where each ends. */
  readonly pieces: Uint8Array;
  readonly pieceEnds: Uint32Array;
  /** Every page's codes back to back, and where each page's start (one more than pages). */
  readonly codes: Uint8Array;
  readonly offsets: Uint32Array;
  /** Two 32-bit hashes of each page's text, so a page sent again is recognised without reading it. */
  readonly hashes: Uint32Array;
}

const SPACE = ' ';
const SPACE_BYTE = 0x20;
const EMPTY_HASHES = new Uint32Array(0);
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Where a page's UTF-8 is put together before it is decoded in one go; grown as needed. */
let scratch = new Uint8Array(1 << 16);

export class PageTexts {
  #pieces: Uint8Array = new Uint8Array(1 << 16);
  #piecesLength = 0;
  #pieceEnds: Uint32Array = new Uint32Array(1024);
  #pieceCount = 0;
  /** Piece → number, built on the first page added: opening a snapshot does not need it. */
  #numbers: Map<string, number> | null = null;
  /** Each page's codes (see PackedRows). */
  #codes = new PackedRows(BYTE_ROWS);
  #hashes: Uint32Array = new Uint32Array(2048);
  /** Copies last handed out by `snapshot`, handed out again while what they copy is unchanged. */
  #saved: Pick<TextsSnapshot, 'pieces' | 'pieceEnds' | 'hashes'> | null = null;
  #hashesChanged = false;

  static fromSnapshot(snapshot: TextsSnapshot): PageTexts {
    const texts = new PageTexts();
    const pageCount = snapshot.offsets.length - 1;
    const pieceCount = snapshot.pieceEnds.length;
    if (pageCount < 0 || snapshot.offsets[pageCount] !== snapshot.codes.length) throw new Error('The saved search index is damaged (texts).');
    if ((snapshot.pieceEnds[pieceCount - 1] ?? 0) !== snapshot.pieces.length) throw new Error('The saved search index is damaged (text pieces).');
    if (snapshot.hashes.length !== pageCount * 2) throw new Error('The saved search index is damaged (text hashes).');
    texts.#hashes = snapshot.hashes;
    texts.#pieces = snapshot.pieces;
    texts.#piecesLength = snapshot.pieces.length;
    texts.#pieceEnds = snapshot.pieceEnds;
    texts.#pieceCount = pieceCount;
    texts.#codes = new PackedRows(BYTE_ROWS, snapshot.codes, snapshot.offsets);
    return texts;
  }

  /** How many page numbers have been handed out (cleared pages included). */
  get count(): number {
    return this.#codes.count;
  }

  /** Stores a text as the next page; returns its page number. */
  add(text: string): number {
    const codes: number[] = [];
    const words = wordMatcher();
    let cursor = 0;
    let pendingWord = -1;
    const close = (separator: string) => {
      if (pendingWord < 0) {
        codes.push(this.#number(separator));
      } else if (separator === SPACE) {
        codes.push(pendingWord * 2);
      } else {
        codes.push(pendingWord * 2 + 1, this.#number(separator));
      }
    };
    for (let found = words.exec(text); found !== null; found = words.exec(text)) {
      close(text.slice(cursor, found.index));
      pendingWord = this.#number(found[0]);
      cursor = found.index + found[0].length;
    }
    close(text.slice(cursor));
    const page = this.#codes.push(encodeVarints(codes));
    if (page * 2 + 2 > this.#hashes.length) {
      const grown = new Uint32Array(Math.max(2048, this.#hashes.length * 2));
      grown.set(this.#hashes);
      this.#hashes = grown;
    }
    const [first, second] = hashesOf(text);
    this.#hashes[page * 2] = first;
    this.#hashes[page * 2 + 1] = second;
    this.#hashesChanged = true;
    return page;
  }

  /**
   * Whether the page holds this very text, by hashes (64 bits between them): the catalog sends
   * every page again at start, and reading each one back would cost seconds at archive scale.
   */
  holds(page: number, text: string): boolean {
    if (page >= this.#codes.count || this.#codes.changed(page) === BYTE_ROWS.empty) return false;
    const [first, second] = hashesOf(text);
    return this.#hashes[page * 2] === first && this.#hashes[page * 2 + 1] === second;
  }

  /** Forgets a page's text; it reads as empty. */
  clear(page: number): void {
    if (page >= this.#codes.count) return;
    this.#codes.replace(page, BYTE_ROWS.empty);
    this.#hashes[page * 2] = 0;
    this.#hashes[page * 2 + 1] = 0;
    this.#hashesChanged = true;
  }

  /** The text as stored: as it was given, but for lone surrogates, which UTF-8 cannot hold. */
  get(page: number): string {
    const codes = this.#codes.row(page);
    const end = codes.length;
    if (end === 0) return '';
    let at = 0;
    // One loop without calls: snippets read dozens of pages per search.
    const pieces = this.#pieces;
    const ends = this.#pieceEnds;
    let out = scratch;
    let length = 0;
    /** A piece comes next (not a word followed by its separator's number). */
    let separatorNext = true;
    let spaceAfter = false;
    while (at < end) {
      let value = codes[at++] as number;
      let code = value & 0x7f;
      for (let shift = 7; value >= 0x80; shift += 7) {
        value = codes[at++] as number;
        code += shift < 28 ? (value & 0x7f) << shift : (value & 0x7f) * 2 ** shift;
      }
      let number = code;
      if (separatorNext) {
        separatorNext = false;
        spaceAfter = false;
      } else {
        number = code >>> 1;
        spaceAfter = (code & 1) === 0;
        separatorNext = !spaceAfter;
      }
      const from = number === 0 ? 0 : (ends[number - 1] as number);
      const to = ends[number] as number;
      if (length + (to - from) + 1 > out.length) {
        const grown = new Uint8Array(Math.max(out.length * 2, length + (to - from) + 1));
        grown.set(out.subarray(0, length));
        out = grown;
        scratch = grown;
      }
      for (let i = from; i < to; i++) out[length++] = pieces[i] as number;
      if (spaceAfter) out[length++] = SPACE_BYTE;
    }
    return decoder.decode(out.subarray(0, length));
  }

  /**
   * The pages' codes packed (see PackedRows), and the dictionary and hashes handed out again as
   * they were when nothing touched them: a save after a few new pages must not cost a pass over
   * every page of the archive.
   */
  snapshot(): TextsSnapshot {
    const { rows: codes, offsets } = this.#codes.pack();
    if (this.#saved?.pieces.length !== this.#piecesLength || this.#saved.pieceEnds.length !== this.#pieceCount) {
      this.#saved = { pieces: this.#pieces.slice(0, this.#piecesLength), pieceEnds: this.#pieceEnds.slice(0, this.#pieceCount), hashes: this.#saved?.hashes ?? EMPTY_HASHES };
    }
    if (this.#hashesChanged || this.#saved.hashes.length !== this.#codes.count * 2) {
      this.#saved = { ...this.#saved, hashes: this.#hashes.slice(0, this.#codes.count * 2) };
      this.#hashesChanged = false;
    }
    return { pieces: this.#saved.pieces, pieceEnds: this.#saved.pieceEnds, codes, offsets, hashes: this.#saved.hashes };
  }

  #number(piece: string): number {
    if (!this.#numbers) {
      this.#numbers = new Map();
      for (let number = 0; number < this.#pieceCount; number++) {
        const from = number === 0 ? 0 : (this.#pieceEnds[number - 1] ?? 0);
        this.#numbers.set(decoder.decode(this.#pieces.subarray(from, this.#pieceEnds[number] ?? 0)), number);
      }
    }
    let number = this.#numbers.get(piece);
    if (number === undefined) {
      number = this.#pieceCount;
      this.#numbers.set(piece, number);
      const bytes = encoder.encode(piece);
      if (this.#piecesLength + bytes.length > this.#pieces.length) {
        const grown = new Uint8Array(Math.max(1 << 16, this.#pieces.length * 2, this.#piecesLength + bytes.length));
        grown.set(this.#pieces.subarray(0, this.#piecesLength));
        this.#pieces = grown;
      }
      this.#pieces.set(bytes, this.#piecesLength);
      this.#piecesLength += bytes.length;
      if (this.#pieceCount + 1 > this.#pieceEnds.length) {
        const grown = new Uint32Array(Math.max(1024, this.#pieceEnds.length * 2));
        grown.set(this.#pieceEnds.subarray(0, this.#pieceCount));
        this.#pieceEnds = grown;
      }
      this.#pieceEnds[this.#pieceCount++] = this.#piecesLength;
    }
    return number;
  }
}

/** FNV-1a and a multiplicative hash with other constants, over the UTF-16 code units. */
function hashesOf(text: string): [number, number] {
  let first = 0x811c9dc5;
  let second = 0x9747b28c ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    first = Math.imul(first ^ unit, 0x01000193);
    second = Math.imul(second ^ unit, 0x5bd1e995);
    second ^= second >>> 15;
  }
  return [first >>> 0, second >>> 0];
}

function encodeVarints(values: readonly number[]): Uint8Array {
  let length = 0;
  for (const value of values) {
    length++;
    for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) length++;
  }
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const value of values) {
    let rest = value;
    while (rest >= 0x80) {
      bytes[at++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    bytes[at++] = rest;
  }
  return bytes;
}
