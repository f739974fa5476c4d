/**
 * Postings for one field of the page index, kept compact enough for an archive of hundreds of
 * thousands of pages. MiniSearch was measured first (bench/search, reference row): it holds
 * each posting in a Map entry (~70 bytes), 2.4 GB for 100,000 pages, and its JSON takes tens of
 * seconds to load. Here the bulk of the postings sit in typed arrays in CSR form (one sorted
 * vocabulary, an offsets array, document numbers and term frequencies), which serialise as
 * they are and load in milliseconds. Pages added since the last `freeze` sit in a small map and
 * are merged in when it grows, so adding a page never rebuilds the index.
 */
export interface FieldSnapshot {
  /** The sorted vocabulary, joined by NUL (which the tokenizer never lets into a term). */
  readonly terms: string;
  readonly offsets: Uint32Array;
  readonly docs: Uint32Array;
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
  #offsets: Uint32Array = new Uint32Array(1);
  #docs: Uint32Array = new Uint32Array(0);
  #tfs: Uint8Array = new Uint8Array(0);
  /** term → [docNum, tf, docNum, tf, …] for pages added since the last freeze. */
  #delta = new Map<string, number[]>();
  #deltaPostings = 0;
  #lengths: Uint16Array = new Uint16Array(1024);
  #totalLength = 0;

  static fromSnapshot(snapshot: FieldSnapshot): FieldIndex {
    const index = new FieldIndex();
    index.#terms = snapshot.terms === '' ? [] : snapshot.terms.split(SEPARATOR);
    index.#offsets = snapshot.offsets;
    index.#docs = snapshot.docs;
    index.#tfs = snapshot.tfs;
    index.#lengths = snapshot.lengths.length > 0 ? snapshot.lengths : new Uint16Array(1024);
    index.#totalLength = snapshot.totalLength;
    if (index.#offsets.length !== index.#terms.length + 1) throw new Error('The index snapshot is damaged: vocabulary and offsets disagree.');
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
  }

  /** Whether enough has been added since the last freeze to make merging worth its cost. */
  get wantsFreeze(): boolean {
    return this.#deltaPostings >= Math.max(MIN_DELTA_TO_FREEZE, this.#docs.length * DELTA_SHARE);
  }

  /** Merges recent additions into the typed arrays, dropping postings of removed pages. */
  freeze(isLive: (docNum: number) => boolean): void {
    const added = [...this.#delta.keys()].sort(compareStrings);
    const terms: string[] = [];
    let total = 0;
    // First pass sizes the arrays, second fills them, so the merge allocates once.
    const counts: number[] = [];
    /** Where each merged term sat in the old vocabulary, or -1 when it is new. */
    const baseIndexes: number[] = [];
    let a = 0;
    let b = 0;
    while (a < this.#terms.length || b < added.length) {
      const base = this.#terms[a];
      const fresh = added[b];
      const order = base === undefined ? 1 : fresh === undefined ? -1 : compareStrings(base, fresh);
      const term = order <= 0 ? (base as string) : (fresh as string);
      let count = 0;
      const baseIndex = order <= 0 ? a : -1;
      if (order <= 0) {
        const from = this.#offsets[a] ?? 0;
        const to = this.#offsets[a + 1] ?? from;
        for (let i = from; i < to; i++) if (isLive(this.#docs[i] ?? 0)) count++;
        a++;
      }
      if (order >= 0) {
        const list = this.#delta.get(term) ?? [];
        for (let i = 0; i < list.length; i += 2) if (isLive(list[i] ?? 0)) count++;
        b++;
      }
      if (count > 0) {
        terms.push(term);
        counts.push(count);
        baseIndexes.push(baseIndex);
        total += count;
      }
    }
    const offsets = new Uint32Array(terms.length + 1);
    const docs = new Uint32Array(total);
    const tfs = new Uint8Array(total);
    let at = 0;
    for (let t = 0; t < terms.length; t++) {
      offsets[t] = at;
      const term = terms[t] as string;
      const baseIndex = baseIndexes[t] ?? -1;
      if (baseIndex >= 0) {
        const from = this.#offsets[baseIndex] ?? 0;
        const to = this.#offsets[baseIndex + 1] ?? from;
        for (let i = from; i < to; i++) {
          const doc = this.#docs[i] ?? 0;
          if (!isLive(doc)) continue;
          docs[at] = doc;
          tfs[at++] = this.#tfs[i] ?? 0;
        }
      }
      const list = this.#delta.get(term);
      if (list) {
        for (let i = 0; i < list.length; i += 2) {
          const doc = list[i] ?? 0;
          if (!isLive(doc)) continue;
          docs[at] = doc;
          tfs[at++] = list[i + 1] ?? 0;
        }
      }
    }
    offsets[terms.length] = at;
    this.#terms = terms;
    this.#offsets = offsets;
    this.#docs = docs;
    this.#tfs = tfs;
    this.#delta = new Map();
    this.#deltaPostings = 0;
  }

  /** How many pages hold the term (removed pages count until the next freeze). */
  documentFrequency(term: string): number {
    const index = this.#find(term);
    const base = index >= 0 ? (this.#offsets[index + 1] ?? 0) - (this.#offsets[index] ?? 0) : 0;
    return base + (this.#delta.get(term)?.length ?? 0) / 2;
  }

  forEachPosting(term: string, visit: (docNum: number, tf: number) => void): void {
    const index = this.#find(term);
    if (index >= 0) {
      const to = this.#offsets[index + 1] ?? 0;
      for (let i = this.#offsets[index] ?? 0; i < to; i++) visit(this.#docs[i] ?? 0, this.#tfs[i] ?? 0);
    }
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
    for (let i = this.#lowerBound(first); i < this.#terms.length; i++) {
      const candidate = this.#terms[i] as string;
      if (candidate[0] !== first) break;
      consider(candidate, this.#baseFrequency(i));
    }
    for (const [candidate, list] of this.#delta) if (candidate[0] === first) consider(candidate, list.length / 2);
    return mostFrequent(frequency, max).map((found) => ({ term: found, edits: edits.get(found) ?? maxEdits }));
  }

  #baseFrequency(index: number): number {
    return (this.#offsets[index + 1] ?? 0) - (this.#offsets[index] ?? 0);
  }

  snapshot(): FieldSnapshot {
    if (this.#delta.size > 0) throw new Error('Freeze the field before taking a snapshot.');
    return {
      terms: this.#terms.join(SEPARATOR),
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

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mostFrequent(frequencies: ReadonlyMap<string, number>, max: number): string[] {
  const entries = [...frequencies];
  if (entries.length > max) entries.sort((a, b) => b[1] - a[1]);
  return entries.slice(0, max).map(([term]) => term);
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
