/**
 * Postings for one field of the page index, kept compact enough for an archive of hundreds of
 * thousands of pages. MiniSearch was measured first (bench/search, reference row): it holds
 * each posting in a Map entry (~70 bytes), 2.4 GB for 100,000 pages, and its JSON takes tens of
 * seconds to load. Here the bulk of the postings sit in typed arrays in CSR form (one sorted
 * vocabulary, where each term's postings start, document numbers and term frequencies), which
 * serialise as they are and load in milliseconds. Document numbers are stored as the gaps
 * between them, seven bits a byte: most gaps fit one byte, a quarter of four, and the bytes
 * are what must be read from IndexedDB at start. Pages added since the last `freeze` sit in a
 * small map and are merged in when it grows, so adding a page never rebuilds the index.
 */
export interface FieldSnapshot {
  /** The sorted vocabulary, joined by NUL (which the tokenizer never lets into a term). */
  readonly terms: string;
  /** Per term, where its postings start (one more than terms): in `tfs`, and in `docs`' bytes. */
  readonly starts: Uint32Array;
  readonly offsets: Uint32Array;
  /** Document numbers, each as the gap from the one before, 7 bits a byte, high bit for "more". */
  readonly docs: Uint8Array;
  readonly tfs: Uint8Array;
  readonly lengths: Uint16Array;
  readonly totalLength: number;
}

const SEPARATOR = '\u0000';
const MAX_TF = 255;
/** Merge pages added since the last freeze once their postings reach this share of the frozen ones. */
const DELTA_SHARE = 0.25;
const MIN_DELTA_TO_FREEZE = 200_000;

export class FieldIndex {
  #terms: string[] = [];
  #starts: Uint32Array = new Uint32Array(1);
  #offsets: Uint32Array = new Uint32Array(1);
  #docs: Uint8Array = new Uint8Array(0);
  #tfs: Uint8Array = new Uint8Array(0);
  /** term → [docNum, tf, docNum, tf, …] for pages added since the last freeze. */
  #delta = new Map<string, number[]>();
  #deltaPostings = 0;
  #lengths: Uint16Array = new Uint16Array(1024);
  #totalLength = 0;
  /** Whether a page was removed since the last freeze, whose postings the next one must drop. */
  #removedSinceFreeze = false;
  /** Per term of the vocabulary, its last document; after `fromSnapshot`, worked out on the first freeze. */
  #lastDocs: Uint32Array | null = new Uint32Array(0);
  /** The vocabulary as the snapshot holds it, kept until the next freeze changes it. */
  #joinedTerms: string | null = '';

  static fromSnapshot(snapshot: FieldSnapshot): FieldIndex {
    const index = new FieldIndex();
    index.#terms = snapshot.terms === '' ? [] : snapshot.terms.split(SEPARATOR);
    index.#starts = snapshot.starts;
    index.#offsets = snapshot.offsets;
    index.#docs = snapshot.docs;
    index.#tfs = snapshot.tfs;
    index.#lengths = snapshot.lengths.length > 0 ? snapshot.lengths : new Uint16Array(1024);
    index.#totalLength = snapshot.totalLength;
    index.#lastDocs = null;
    index.#joinedTerms = snapshot.terms;
    const count = index.#terms.length;
    if (index.#offsets.length !== count + 1 || index.#starts.length !== count + 1) {
      throw new Error('The index snapshot is damaged: vocabulary and offsets disagree.');
    }
    if (index.#starts[count] !== index.#tfs.length || index.#offsets[count] !== index.#docs.length) {
      throw new Error('The index snapshot is damaged: postings are missing.');
    }
    return index;
  }

  /** Sum of the lengths of live pages' fields, kept by the caller's add/remove calls. */
  get totalLength(): number {
    return this.#totalLength;
  }

  length(docNum: number): number {
    return this.#lengths[docNum] ?? 0;
  }

  add(docNum: number, termFrequencies: ReadonlyMap<string, number>, length: number): void {
    if (docNum >= this.#lengths.length) {
      const grown = new Uint16Array(Math.max(docNum + 1, this.#lengths.length * 2));
      grown.set(this.#lengths);
      this.#lengths = grown;
    }
    const clamped = Math.min(length, 0xffff);
    this.#lengths[docNum] = clamped;
    this.#totalLength += clamped;
    for (const [term, tf] of termFrequencies) {
      let list = this.#delta.get(term);
      if (!list) {
        list = [];
        this.#delta.set(term, list);
      }
      list.push(docNum, Math.min(tf, MAX_TF));
    }
    this.#deltaPostings += termFrequencies.size;
  }

  /** The page's postings stay until the next freeze drops them; the caller stops counting it. */
  remove(docNum: number): void {
    this.#totalLength -= this.#lengths[docNum] ?? 0;
    this.#lengths[docNum] = 0;
    this.#removedSinceFreeze = true;
  }

  /** Whether enough has been added since the last freeze to make merging worth its cost. */
  get wantsFreeze(): boolean {
    return this.#deltaPostings >= Math.max(MIN_DELTA_TO_FREEZE, this.#tfs.length * DELTA_SHARE);
  }

  /**
   * Merges recent additions into the typed arrays, dropping postings of removed pages. `isLive`
   * must agree with the `remove` calls: when there were none, every posting is live and the
   * merge is skipped or reduced to appending (see #appendDelta).
   */
  freeze(isLive: (docNum: number) => boolean): void {
    if (this.#delta.size === 0 && !this.#removedSinceFreeze) return;
    if (this.#removedSinceFreeze || !this.#appendDelta()) this.#mergeAll(isLive);
    this.#delta = new Map();
    this.#deltaPostings = 0;
    this.#removedSinceFreeze = false;
    this.#joinedTerms = null;
  }

  #lastDocsOfBase(): Uint32Array {
    if (this.#lastDocs) return this.#lastDocs;
    const lastDocs = new Uint32Array(this.#terms.length);
    for (let t = 0; t < lastDocs.length; t++) {
      this.#forEachBasePosting(t, (doc) => {
        lastDocs[t] = doc;
      });
    }
    this.#lastDocs = lastDocs;
    return lastDocs;
  }

  /**
   * The merge when nothing was removed and recent pages follow the frozen ones: each term's
   * frozen postings stay byte for byte (copied in runs of whole terms), its recent ones are
   * encoded after them, the first gap counted from its last frozen document. Gives the very
   * arrays #mergeAll would, without decoding and encoding the whole index at every save.
   * Returns false, changing nothing, when some recent page does not follow its term's frozen ones.
   */
  #appendDelta(): boolean {
    // The default order compares UTF-16 code units, as compareStrings and #lowerBound do.
    const added = [...this.#delta.keys()].sort();
    const lastDocs = this.#lastDocsOfBase();
    const oldTerms = this.#terms;
    const oldStarts = this.#starts;
    const oldOffsets = this.#offsets;
    const oldDocs = this.#docs;
    const oldTfs = this.#tfs;
    /** Where each added term stands in the old vocabulary, or would be inserted; and whether it is there. */
    const positions = new Int32Array(added.length);
    const known = new Uint8Array(added.length);
    let newTerms = 0;
    let extraPostings = 0;
    let extraBytes = 0;
    // Both lists are sorted: one walk finds where every added term goes.
    let at = 0;
    for (let k = 0; k < added.length; k++) {
      const term = added[k] as string;
      while (at < oldTerms.length && (oldTerms[at] as string) < term) at++;
      positions[k] = at;
      known[k] = oldTerms[at] === term ? 1 : 0;
      if (known[k] === 0) newTerms++;
      const list = this.#delta.get(term) ?? [];
      if (known[k] === 1 && (list[0] ?? 0) <= (lastDocs[at] ?? 0)) return false;
      let previous = known[k] === 1 ? (lastDocs[at] ?? 0) : 0;
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i] ?? 0;
        extraBytes += varintLength(doc - previous);
        previous = doc;
      }
      extraPostings += list.length / 2;
    }
    const count = oldTerms.length + newTerms;
    const terms: string[] = [];
    const starts = new Uint32Array(count + 1);
    const offsets = new Uint32Array(count + 1);
    const last = new Uint32Array(count);
    const docs = new Uint8Array(oldDocs.length + extraBytes);
    const tfs = new Uint8Array(oldTfs.length + extraPostings);
    at = 0;
    let byte = 0;
    let base = 0;
    /** Copies the old terms from `base` to `end` (not included) as they are. */
    const copyUpTo = (end: number) => {
      if (end <= base) return;
      const fromTf = oldStarts[base] ?? 0;
      const fromByte = oldOffsets[base] ?? 0;
      const toTf = oldStarts[end] ?? 0;
      const toByte = oldOffsets[end] ?? 0;
      tfs.set(oldTfs.subarray(fromTf, toTf), at);
      docs.set(oldDocs.subarray(fromByte, toByte), byte);
      for (let i = base; i < end; i++) {
        const t = terms.length;
        terms.push(oldTerms[i] as string);
        starts[t] = (oldStarts[i] ?? 0) - fromTf + at;
        offsets[t] = (oldOffsets[i] ?? 0) - fromByte + byte;
        last[t] = lastDocs[i] ?? 0;
      }
      at += toTf - fromTf;
      byte += toByte - fromByte;
      base = end;
    };
    for (let k = 0; k < added.length; k++) {
      const term = added[k] as string;
      const position = positions[k] ?? 0;
      let previous = 0;
      if (known[k] === 1) {
        copyUpTo(position + 1);
        previous = lastDocs[position] ?? 0;
      } else {
        copyUpTo(position);
        starts[terms.length] = at;
        offsets[terms.length] = byte;
        terms.push(term);
      }
      const list = this.#delta.get(term) ?? [];
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i] ?? 0;
        byte = writeVarint(docs, byte, doc - previous);
        previous = doc;
        tfs[at++] = list[i + 1] ?? 0;
      }
      last[terms.length - 1] = previous;
    }
    copyUpTo(oldTerms.length);
    starts[count] = at;
    offsets[count] = byte;
    this.#terms = terms;
    this.#starts = starts;
    this.#offsets = offsets;
    this.#docs = docs;
    this.#tfs = tfs;
    this.#lastDocs = last;
    return true;
  }

  /** Decodes every term's postings and encodes them again with the recent ones, live pages only. */
  #mergeAll(isLive: (docNum: number) => boolean): void {
    const added = [...this.#delta.keys()].sort(compareStrings);
    const terms: string[] = [];
    // First pass sizes the arrays, second fills them, so the merge allocates once.
    const counts: number[] = [];
    const sizes: number[] = [];
    /** Where each merged term sat in the old vocabulary, or -1 when it is new. */
    const baseIndexes: number[] = [];
    let total = 0;
    let totalBytes = 0;
    let a = 0;
    let b = 0;
    while (a < this.#terms.length || b < added.length) {
      const base = this.#terms[a];
      const fresh = added[b];
      const order = base === undefined ? 1 : fresh === undefined ? -1 : compareStrings(base, fresh);
      const term = order <= 0 ? (base as string) : (fresh as string);
      const baseIndex = order <= 0 ? a : -1;
      let count = 0;
      let bytes = 0;
      let previous = 0;
      this.#forEachMerged(baseIndex, order >= 0 ? this.#delta.get(term) : undefined, (doc) => {
        if (!isLive(doc)) return;
        count++;
        bytes += varintLength(doc - previous);
        previous = doc;
      });
      if (order <= 0) a++;
      if (order >= 0) b++;
      if (count > 0) {
        terms.push(term);
        counts.push(count);
        sizes.push(bytes);
        baseIndexes.push(baseIndex);
        total += count;
        totalBytes += bytes;
      }
    }
    const starts = new Uint32Array(terms.length + 1);
    const offsets = new Uint32Array(terms.length + 1);
    const docs = new Uint8Array(totalBytes);
    const tfs = new Uint8Array(total);
    const lastDocs = new Uint32Array(terms.length);
    let at = 0;
    let byte = 0;
    for (let t = 0; t < terms.length; t++) {
      starts[t] = at;
      offsets[t] = byte;
      let previous = 0;
      this.#forEachMerged(baseIndexes[t] ?? -1, this.#delta.get(terms[t] as string), (doc, tf) => {
        if (!isLive(doc)) return;
        byte = writeVarint(docs, byte, doc - previous);
        previous = doc;
        tfs[at++] = tf;
      });
      lastDocs[t] = previous;
    }
    starts[terms.length] = at;
    offsets[terms.length] = byte;
    this.#terms = terms;
    this.#starts = starts;
    this.#offsets = offsets;
    this.#docs = docs;
    this.#tfs = tfs;
    this.#lastDocs = lastDocs;
  }

  /** The postings of the term at `baseIndex` (none when -1), then those in `list`, in document order. */
  #forEachMerged(baseIndex: number, list: readonly number[] | undefined, visit: (docNum: number, tf: number) => void): void {
    if (baseIndex >= 0) this.#forEachBasePosting(baseIndex, visit);
    if (list) for (let i = 0; i < list.length; i += 2) visit(list[i] ?? 0, list[i + 1] ?? 0);
  }

  #forEachBasePosting(index: number, visit: (docNum: number, tf: number) => void): void {
    const docs = this.#docs;
    const tfs = this.#tfs;
    const to = this.#starts[index + 1] ?? 0;
    let byte = this.#offsets[index] ?? 0;
    let doc = 0;
    for (let i = this.#starts[index] ?? 0; i < to; i++) {
      let value = docs[byte++] ?? 0;
      let gap = value & 0x7f;
      for (let shift = 7; value >= 0x80; shift += 7) {
        value = docs[byte++] ?? 0;
        gap += shift < 28 ? (value & 0x7f) << shift : (value & 0x7f) * 2 ** shift;
      }
      doc += gap;
      visit(doc, tfs[i] ?? 0);
    }
  }

  /** How many pages hold the term (removed pages count until the next freeze). */
  documentFrequency(term: string): number {
    const index = this.#find(term);
    const base = index >= 0 ? this.#baseFrequency(index) : 0;
    return base + (this.#delta.get(term)?.length ?? 0) / 2;
  }

  forEachPosting(term: string, visit: (docNum: number, tf: number) => void): void {
    const index = this.#find(term);
    if (index >= 0) this.#forEachBasePosting(index, visit);
    const list = this.#delta.get(term);
    if (list) for (let i = 0; i < list.length; i += 2) visit(list[i] ?? 0, list[i + 1] ?? 0);
  }

  has(term: string): boolean {
    return this.#find(term) >= 0 || this.#delta.has(term);
  }

  /** Terms starting with `prefix`, the most frequent first, at most `max`. */
  termsWithPrefix(prefix: string, max: number): string[] {
    const found = new Map<string, number>();
    for (let i = this.#lowerBound(prefix); i < this.#terms.length; i++) {
      const term = this.#terms[i] as string;
      if (!term.startsWith(prefix)) break;
      found.set(term, this.#baseFrequency(i));
    }
    for (const [term, list] of this.#delta) {
      if (term.startsWith(prefix)) found.set(term, (found.get(term) ?? 0) + list.length / 2);
    }
    return mostFrequent(found, max);
  }

  /**
   * Terms within `maxEdits` edits of `term` that share its first letter. OCR misreads the first
   * letter too, but requiring it keeps the scan to one slice of the sorted vocabulary, fast at
   * any archive size; the variant key covers the common first-letter confusions (I/l/1).
   */
  fuzzyTerms(term: string, maxEdits: number, max: number): Array<{ term: string; edits: number }> {
    const first = term[0];
    if (first === undefined || maxEdits <= 0) return [];
    const edits = new Map<string, number>();
    const frequency = new Map<string, number>();
    const consider = (candidate: string, df: number) => {
      if (Math.abs(candidate.length - term.length) > maxEdits || candidate === term) return;
      const distance = boundedEditDistance(term, candidate, maxEdits);
      if (distance > maxEdits) return;
      edits.set(candidate, distance);
      frequency.set(candidate, (frequency.get(candidate) ?? 0) + df);
    };
    scanSortedTerms(term, maxEdits, this.#terms, this.#lowerBound(first), (candidate) => candidate[0] !== first, (index, distance) => {
      const candidate = this.#terms[index] as string;
      if (candidate === term) return;
      edits.set(candidate, distance);
      frequency.set(candidate, (frequency.get(candidate) ?? 0) + this.#baseFrequency(index));
    });
    for (const [candidate, list] of this.#delta) if (candidate[0] === first) consider(candidate, list.length / 2);
    return mostFrequent(frequency, max).map((found) => ({ term: found, edits: edits.get(found) ?? maxEdits }));
  }

  #baseFrequency(index: number): number {
    return (this.#starts[index + 1] ?? 0) - (this.#starts[index] ?? 0);
  }

  snapshot(): FieldSnapshot {
    if (this.#delta.size > 0) throw new Error('Freeze the field before taking a snapshot.');
    this.#joinedTerms ??= this.#terms.join(SEPARATOR);
    return {
      terms: this.#joinedTerms,
      starts: this.#starts,
      offsets: this.#offsets,
      docs: this.#docs,
      tfs: this.#tfs,
      lengths: this.#lengths,
      totalLength: this.#totalLength,
    };
  }

  #lowerBound(key: string): number {
    let low = 0;
    let high = this.#terms.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.#terms[mid] as string) < key) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  #find(term: string): number {
    const at = this.#lowerBound(term);
    return this.#terms[at] === term ? at : -1;
  }
}

function varintLength(value: number): number {
  let length = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) length++;
  return length;
}

/** Writes `value` at `at`, seven bits a byte, low bits first; returns where the next value goes. */
function writeVarint(bytes: Uint8Array, at: number, value: number): number {
  let rest = value;
  let next = at;
  while (rest >= 0x80) {
    bytes[next++] = (rest & 0x7f) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  bytes[next++] = rest;
  return next;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mostFrequent(frequencies: ReadonlyMap<string, number>, max: number): string[] {
  const entries = [...frequencies];
  if (entries.length > max) entries.sort((a, b) => b[1] - a[1]);
  return entries.slice(0, max).map(([term]) => term);
}

/**
 * Edit distances from `term` to the sorted `terms` from `from` until `done` says stop, reporting
 * those within `maxEdits`. Neighbours in a sorted vocabulary share prefixes, so the table rows of
 * the prefix a candidate shares with the one before are kept, and once a prefix is too far from
 * the term every candidate under it is skipped: most of a vocabulary slice, at archive scale.
 */
export function scanSortedTerms(
  term: string,
  maxEdits: number,
  terms: readonly string[],
  from: number,
  done: (candidate: string) => boolean,
  found: (index: number, distance: number) => void,
): void {
  const width = term.length + 1;
  /** Longer candidates cannot be within reach; their rows past this are never needed. */
  const maxRows = term.length + maxEdits;
  const table = new Int32Array((maxRows + 1) * width);
  for (let j = 0; j < width; j++) table[j] = j;
  let previous = '';
  /** Rows 0 to `valid` hold the table for `previous`' first `valid` letters. */
  let valid = 0;
  for (let i = from; i < terms.length; i++) {
    const candidate = terms[i] as string;
    if (done(candidate)) break;
    const shared = Math.min(valid, candidate.length);
    let row = 0;
    while (row < shared && candidate.charCodeAt(row) === previous.charCodeAt(row)) row++;
    const rows = Math.min(candidate.length, maxRows);
    let tooFar = false;
    while (row < rows) {
      const letter = candidate.charCodeAt(row);
      const above = row * width;
      const here = above + width;
      table[here] = row + 1;
      let rowMin = row + 1;
      for (let j = 1; j < width; j++) {
        const cost = letter === term.charCodeAt(j - 1) ? 0 : 1;
        const value = Math.min((table[above + j] as number) + 1, (table[here + j - 1] as number) + 1, (table[above + j - 1] as number) + cost);
        table[here + j] = value;
        if (value < rowMin) rowMin = value;
      }
      row++;
      if (rowMin > maxEdits) {
        tooFar = true;
        break;
      }
    }
    previous = candidate;
    valid = row;
    if (tooFar) {
      const prefix = candidate.slice(0, row);
      while (i + 1 < terms.length && (terms[i + 1] as string).startsWith(prefix)) i++;
      continue;
    }
    if (candidate.length > maxRows) continue;
    const distance = table[candidate.length * width + term.length] as number;
    if (distance <= maxEdits) found(i, distance);
  }
}

/** Rows of the edit-distance table, reused: fuzzy matching runs it on thousands of terms per query. */
let previousRow = new Int32Array(64);
let currentRow = new Int32Array(64);

/** Levenshtein distance, giving up (returning maxEdits + 1) as soon as it must exceed maxEdits. */
export function boundedEditDistance(a: string, b: string, maxEdits: number): number {
  if (Math.abs(a.length - b.length) > maxEdits) return maxEdits + 1;
  if (b.length + 1 > previousRow.length) {
    previousRow = new Int32Array(b.length + 1);
    currentRow = new Int32Array(b.length + 1);
  }
  let previous = previousRow;
  let current = currentRow;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    const letter = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = letter === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > maxEdits) return maxEdits + 1;
    const swap = previous;
    previous = current;
    current = swap;
  }
  return previous[b.length] as number;
}
