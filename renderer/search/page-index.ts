import { foldForSearch } from '../../common/text/fold';
import { tokenize } from '../../common/text/tokenize';
import { FieldIndex, type FieldSnapshot } from './field-index';
import { foldedForms, termFingerprint, variantKeyOf, wordFingerprint } from './fold-cache';
import type { IndexedPage, PageHit, SearchFilters, SearchOptions, SearchSort } from './indexed-page';
import { planQuery, type Clause } from './query-plan';
import { PageTexts, type TextsSnapshot } from './page-texts';
import { holdsPhrase } from './phrase';
import { buildSnippet } from './snippet';
import { termMatcher } from './term-match';
import { WordFingerprints, type FingerprintsSnapshot } from './word-fingerprints';

/** Prefix matching from this many characters: shorter prefixes match half the archive. */
const MIN_PREFIX_CHARS = 3;
/** Typo tolerance from this many characters: "nr" must not match "ne", "në", "na"… */
const MIN_FUZZY_CHARS = 5;
/** Edits allowed, as a share of the word's length: one typo in 5–9 letters, two from 10. */
const FUZZINESS = 0.2;
const MAX_EDITS = 2;
const MAX_PREFIX_TERMS = 20;
const MAX_FUZZY_TERMS = 20;
/**
 * Postings one query word may walk through its prefix and typo expansions. Their cost is their
 * document frequency: "raport" expanding to "raporti" (half the archive) costs more than all the
 * OCR misreadings of a surname together. Expansions beyond the budget are left out, rarest last.
 */
const EXPANSION_POSTINGS_BUDGET = 150_000;
/** How a match counts against an exact one. An exact spelling also matches its key, so it ranks first. */
const WEIGHT = { exact: 1, variant: 0.7, prefix: 0.35, fuzzy: 0.45 } as const;
/** A place found under another of its names counts this much against the name typed. */
const OTHER_PLACE_NAME = 0.6;
/**
 * Phrase matches are found on the pages' word fingerprints, which spellings of one name and now
 * and then two different words share; the hits shown are checked on the text, so a few more are
 * ranked than asked for, and more again if too many fail.
 */
const PHRASE_SPARE_HITS = 16;
/** How many of the best pages with a phrase's words are checked first, per result asked for. */
const PHRASE_FIRST_LOOK = 4;
/** Page texts kept decoded, within one search, between confirming a phrase and building snippets. */
const RECENT_TEXTS = 256;

/** Case numbers and names count above body text. */
export const FIELD_BOOSTS = {
  caseNumber: 3,
  persons: 2.5,
  title: 2,
  institution: 1.5,
  documentType: 1.5,
  fileName: 1.5,
  text: 1,
} as const;
export type SearchField = keyof typeof FIELD_BOOSTS;
const FIELDS = Object.keys(FIELD_BOOSTS) as SearchField[];

/** `updated`: only stored fields changed (a batch's state, say), so the text was not indexed again. */
export type UpsertChange = 'added' | 'replaced' | 'updated' | 'unchanged' | 'removed' | 'absent';

/** Bump when the snapshot layout changes; the fingerprint covers changes in the folding. */
export const INDEX_FORMAT = 2;

export interface IndexSnapshot {
  readonly format: number;
  readonly fingerprint: string;
  readonly pageCount: number;
  /** Per-page stored fields, as JSON (column arrays). */
  readonly pages: string;
  /** The pages' texts, for snippets and phrase checks (see PageTexts). */
  readonly texts: TextsSnapshot;
  /** Each page's word fingerprints, for phrases and snippets (see WordFingerprints). */
  readonly words: FingerprintsSnapshot;
  /** 1 for pages held, 0 for slots of removed pages (document numbers are positions). */
  readonly live: Uint8Array;
  readonly fields: Readonly<Partial<Record<SearchField, FieldSnapshot>>>;
}

type StoredColumn = 'id' | 'fileName' | 'deviceId' | 'capturedAt' | 'status' | 'sourceKind' | 'documentId' | 'caseNumber' | 'persons' | 'title' | 'institution' | 'documentType' | 'documentDate' | 'batchId' | 'batchState';
const COLUMNS: readonly StoredColumn[] = ['id', 'fileName', 'deviceId', 'capturedAt', 'status', 'sourceKind', 'documentId', 'caseNumber', 'persons', 'title', 'institution', 'documentType', 'documentDate', 'batchId', 'batchState'];
/** Stored columns that are also searched: a change to one of them (or to the text) indexes the page again. */
const SEARCHED_COLUMNS = FIELDS.filter((field): field is Exclude<SearchField, 'text'> => field !== 'text');

const keyOf = variantKeyOf;

/**
 * Folded words and their variant keys, with counts, and the number of words; with `fingerprints`,
 * also the fingerprint of every word as the tokenizer reads them, in order (see snippet positions).
 */
function termsOf(text: string, fingerprints?: number[]): { terms: Map<string, number>; length: number } {
  const terms = new Map<string, number>();
  let length = 0;
  for (const word of tokenize(text)) {
    const { folded, key, fingerprint } = foldedForms(word);
    fingerprints?.push(fingerprint);
    if (folded === '') continue;
    length++;
    terms.set(folded, (terms.get(folded) ?? 0) + 1);
    if (key !== null) terms.set(key, (terms.get(key) ?? 0) + 1);
  }
  return { terms, length };
}

/** Says whether a saved index was built with the folding this code uses; if not, it is rebuilt. */
export function indexFingerprint(): string {
  const probe = 'Приштина Prishtinë Đakovica Gjakovë Xhafer Džafer Qerim Ćerim rn 0l1 Kllokot ﬁ';
  const folded = tokenize(probe).map((word) => {
    const f = foldForSearch(word);
    return `${f}${keyOf(f) ?? ''}`;
  });
  const fields = FIELDS.map((field) => `${field}:${FIELD_BOOSTS[field]}`);
  return [`format${INDEX_FORMAT}`, ...folded, ...fields].join('|');
}

class Scores {
  /** The pages scored, in the order first scored: `touched` up to `count`. */
  #touched = new Int32Array(1024);
  count = 0;
  constructor(readonly values: Float64Array) {}
  add(doc: number, score: number): void {
    if (this.values[doc] === 0) {
      if (this.count === this.#touched.length) {
        const grown = new Int32Array(this.#touched.length * 2);
        grown.set(this.#touched);
        this.#touched = grown;
      }
      this.#touched[this.count++] = doc;
    }
    this.values[doc] = (this.values[doc] ?? 0) + score;
  }
  get touched(): Int32Array {
    return this.#touched.subarray(0, this.count);
  }
  clear(): void {
    for (let i = 0; i < this.count; i++) this.values[this.#touched[i] ?? 0] = 0;
    this.count = 0;
  }
}

/**
 * Score arrays for one search, one per query word and place name, returned clean for the next:
 * at archive scale each is megabytes, and allocating (and zeroing) dozens per keystroke showed
 * up in the benchmark.
 */
class ScoreArena {
  readonly #free: Scores[] = [];
  readonly #used: Scores[] = [];
  constructor(readonly size: number) {}
  take(): Scores {
    const scores = this.#free.pop() ?? new Scores(new Float64Array(this.size));
    this.#used.push(scores);
    return scores;
  }
  releaseAll(): void {
    for (const scores of this.#used.splice(0)) {
      scores.clear();
      this.#free.push(scores);
    }
  }
}

/**
 * Full-text index over the OCR text, file names and (when pages carry them) document fields.
 * Indexed text and queries are folded alike (common/text): case, accents, script, Albanian and
 * Serbian spellings and common OCR misreadings never decide whether a page is found. Places
 * are found under all their names (gazetteer). It is a cache: saved as a snapshot so the app
 * does not re-index at start, and rebuilt from the catalog whenever it is lost or stale.
 * Nothing here touches the DOM, so the benchmark runs this very code in Node.
 */
export class PageIndex {
  readonly #fields = new Map<SearchField, FieldIndex>();
  readonly #docOf = new Map<string, number>();
  readonly #columns: Record<StoredColumn, string[]> = Object.fromEntries(COLUMNS.map((column) => [column, [] as string[]])) as Record<StoredColumn, string[]>;
  #texts = new PageTexts();
  readonly #recentTexts = new Map<number, string>();
  #words = new WordFingerprints();
  #arena = new ScoreArena(0);
  #live: Uint8Array = new Uint8Array(1024);
  #liveCount = 0;
  /**
   * Each stored column as last saved, as JSON without its closing bracket: pages are mostly
   * appended, so a save writes only theirs. Dropped when a stored value changes in place.
   */
  #savedColumns: { readonly pages: number; readonly parts: readonly string[] } | null = null;

  static fromSnapshot(snapshot: IndexSnapshot): PageIndex {
    if (snapshot.format !== INDEX_FORMAT || snapshot.fingerprint !== indexFingerprint()) {
      throw new Error('The saved search index was built by another version and must be rebuilt.');
    }
    const index = new PageIndex();
    const columns = JSON.parse(snapshot.pages) as Record<StoredColumn, string[]>;
    for (const column of COLUMNS) {
      const values = columns[column];
      if (!Array.isArray(values) || values.length !== snapshot.pageCount) throw new Error(`The saved search index is damaged (${column}).`);
      index.#columns[column] = values;
    }
    index.#texts = PageTexts.fromSnapshot(snapshot.texts);
    if (index.#texts.count !== snapshot.pageCount) throw new Error('The saved search index is damaged (texts).');
    index.#words = WordFingerprints.fromSnapshot(snapshot.words);
    if (index.#words.count !== snapshot.pageCount) throw new Error('The saved search index is damaged (words).');
    if (snapshot.live.length < snapshot.pageCount) throw new Error('The saved search index is damaged (live pages).');
    index.#live = new Uint8Array(Math.max(1024, snapshot.pageCount));
    index.#columns.id.forEach((id, doc) => {
      if (snapshot.live[doc] !== 1) return;
      index.#docOf.set(id, doc);
      index.#live[doc] = 1;
      index.#liveCount++;
    });
    for (const [field, fieldSnapshot] of Object.entries(snapshot.fields) as Array<[SearchField, FieldSnapshot]>) {
      index.#fields.set(field, FieldIndex.fromSnapshot(fieldSnapshot));
    }
    return index;
  }

  get size(): number {
    return this.#liveCount;
  }

  has(pageId: string): boolean {
    return this.#docOf.has(pageId);
  }

  /** Adds, replaces or (when it has no text) removes a page; never indexes one page twice. */
  upsert(page: IndexedPage): UpsertChange {
    const held = this.#docOf.get(page.id);
    if (page.text === '') {
      if (held === undefined) return 'absent';
      this.#remove(held);
      return 'removed';
    }
    if (held !== undefined) {
      const sameText = this.#texts.holds(held, page.text);
      const sameSearched = sameText && SEARCHED_COLUMNS.every((column) => this.#columns[column][held] === String(page[column] ?? ''));
      if (sameSearched) {
        // A batch sealed or synced re-sends all its pages: update what is stored, index nothing.
        let changed = false;
        for (const column of COLUMNS) {
          const value = String(page[column] ?? '');
          if (this.#columns[column][held] === value) continue;
          this.#columns[column][held] = value;
          this.#savedColumns = null;
          changed = true;
        }
        return changed ? 'updated' : 'unchanged';
      }
      this.#remove(held);
    }
    this.#add(page);
    return held === undefined ? 'added' : 'replaced';
  }

  /** Removes every page not in `keep`; returns how many went. */
  retainOnly(keep: ReadonlySet<string>): number {
    const gone = [...this.#docOf].filter(([id]) => !keep.has(id));
    for (const [, doc] of gone) this.#remove(doc);
    return gone.length;
  }

  /** Merges recent additions into the compact arrays; the worker calls it when idle. */
  optimize(): void {
    const isLive = (doc: number) => this.#live[doc] === 1;
    for (const field of this.#fields.values()) field.freeze(isLive);
    this.#compactPages();
  }

  snapshot(): IndexSnapshot {
    this.optimize();
    const pageCount = this.#columns.id.length;
    const texts = this.#texts.snapshot();
    const words = this.#words.snapshot();
    const fields: Partial<Record<SearchField, FieldSnapshot>> = {};
    for (const [name, field] of this.#fields) fields[name] = field.snapshot();
    const live = this.#live.slice(0, pageCount);
    return { format: INDEX_FORMAT, fingerprint: indexFingerprint(), pageCount, pages: this.#columnsJson(), texts, words, live, fields };
  }

  /** `JSON.stringify(this.#columns)`, writing only the values of pages added since the last save. */
  #columnsJson(): string {
    const pageCount = this.#columns.id.length;
    const saved = this.#savedColumns;
    const parts = COLUMNS.map((column, i) => {
      const values = this.#columns[column];
      if (!saved || saved.pages > pageCount) return JSON.stringify(values).slice(0, -1);
      const before = saved.parts[i] ?? '[';
      if (saved.pages === pageCount) return before;
      const added = JSON.stringify(values.slice(saved.pages)).slice(1, -1);
      return saved.pages === 0 ? `[${added}` : `${before},${added}`;
    });
    this.#savedColumns = { pages: pageCount, parts };
    return `{${COLUMNS.map((column, i) => `${JSON.stringify(column)}:${parts[i] ?? '['}]`).join(',')}}`;
  }

  /** Never throws for any string: odd input finds nothing rather than failing. */
  search(query: string, limitOrOptions: number | SearchOptions = {}): PageHit[] {
    const options: SearchOptions = typeof limitOrOptions === 'number' ? { limit: limitOrOptions } : limitOrOptions;
    const limit = options.limit ?? 50;
    const clauses = planQuery(query);
    if (clauses.length === 0 || this.#liveCount === 0) return [];

    if (this.#arena.size < this.#columns.id.length) this.#arena = new ScoreArena(this.#columns.id.length + 1024);
    try {
      return this.#run(clauses, options, limit);
    } finally {
      this.#arena.releaseAll();
      this.#recentTexts.clear();
    }
  }

  #run(clauses: readonly Clause[], options: SearchOptions, limit: number): PageHit[] {
    const matched = new Set<string>();
    const phrases = clauses.filter((clause): clause is Extract<Clause, { kind: 'phrase' }> => clause.kind === 'phrase');
    const phraseFingerprints = phrases.map((phrase) => Uint16Array.from(phrase.words, wordFingerprint));
    const evaluated = clauses.map((clause) => this.#evaluate(clause, matched));
    evaluated.sort((a, b) => a.count - b.count);
    const [smallest, ...others] = evaluated;
    if (!smallest) return [];
    const result = this.#arena.take();
    const accept = filterFor(options.filters, this.#columns);
    for (const doc of smallest.touched) {
      if (this.#live[doc] !== 1 || !accept(doc)) continue;
      let total = smallest.values[doc] ?? 0;
      let everywhere = true;
      for (const other of others) {
        const score = other.values[doc] ?? 0;
        if (score === 0) {
          everywhere = false;
          break;
        }
        total += score;
      }
      if (everywhere) result.add(doc, total);
    }

    const sort = options.sort ?? 'relevance';
    const holdsPhrases = (doc: number) =>
      phraseFingerprints.every((wanted) => this.#words.holds(doc, wanted)) &&
      phrases.every((phrase) => holdsPhrase(this.#text(doc), phrase.words));
    let ranked: number[];
    if (phrases.length === 0) {
      ranked = this.#rank(result, sort, limit);
    } else {
      // A common phrase fills the page of results from the best few pages with its words;
      // a rare one is looked for on all of them, by fingerprint, and the text confirms the best.
      ranked = [];
      for (const doc of this.#rank(result, sort, limit * PHRASE_FIRST_LOOK)) {
        if (ranked.length >= limit) break;
        if (holdsPhrases(doc)) ranked.push(doc);
      }
      if (ranked.length < limit && result.count > limit * PHRASE_FIRST_LOOK) {
        const candidates = this.#arena.take();
        for (const doc of result.touched) {
          if (phraseFingerprints.every((wanted) => this.#words.holds(doc, wanted))) candidates.add(doc, result.values[doc] ?? 0);
        }
        ranked = this.#confirmed(candidates, sort, limit, holdsPhrases);
      }
    }
    const terms = [...matched];
    const isMatch = termMatcher(terms);
    const wanted = new Uint8Array(0x10000);
    for (const term of terms) wanted[termFingerprint(term)] = 1;
    return ranked.slice(0, limit).map((doc) => {
      // Only words with a matched term's fingerprint are folded to see whether they match.
      const matches = (word: string, position: number) => {
        const fingerprint = this.#words.at(doc, position);
        return (fingerprint === undefined || wanted[fingerprint] === 1) && isMatch(word);
      };
      return this.#toHit(doc, result.values[doc] ?? 0, terms, matches);
    });
  }

  #evaluate(clause: Clause, matched: Set<string>): Scores {
    const scores = this.#arena.take();
    switch (clause.kind) {
      case 'word':
        this.#scoreWord(clause.word, scores, matched, true);
        break;
      case 'phrase':
        // Every word must be present; adjacency is checked on the text of the survivors.
        return this.#all(clause.words.map((word) => {
          const part = this.#arena.take();
          // Quoted words match as folded, never by variant key, so the key's postings are not walked.
          this.#scoreWord(word, part, matched, false, 1, false);
          return part;
        }));
      case 'place':
        for (const name of [clause.typed, ...clause.names]) {
          const typed = name === clause.typed;
          const parts = name.map((word) => {
            const part = this.#arena.take();
            this.#scoreWord(word, part, matched, typed, typed ? 1 : OTHER_PLACE_NAME);
            return part;
          });
          const all = this.#all(parts);
          for (const doc of all.touched) scores.add(doc, all.values[doc] ?? 0);
        }
        break;
    }
    return scores;
  }

  /** Pages in every one of `parts`, scored by their sum. */
  #all(parts: Scores[]): Scores {
    const [first, ...rest] = [...parts].sort((a, b) => a.count - b.count);
    const scores = this.#arena.take();
    if (!first) return scores;
    for (const doc of first.touched) {
      let total = first.values[doc] ?? 0;
      let everywhere = true;
      for (const part of rest) {
        const value = part.values[doc] ?? 0;
        if (value === 0) {
          everywhere = false;
          break;
        }
        total += value;
      }
      if (everywhere) scores.add(doc, total);
    }
    return scores;
  }

  /** The best `limit` of `scores` that pass `check`, in order, checking as few as it can. */
  #confirmed(scores: Scores, sort: SearchSort, limit: number, check: (doc: number) => boolean): number[] {
    const kept: number[] = [];
    let checked = 0;
    for (let count = limit + PHRASE_SPARE_HITS; kept.length < limit; count *= 4) {
      const ranked = this.#rank(scores, sort, count);
      for (; checked < ranked.length && kept.length < limit; checked++) {
        const doc = ranked[checked] as number;
        if (check(doc)) kept.push(doc);
      }
      if (ranked.length < count) break;
    }
    return kept;
  }

  /** Scores one query word in every field: exact, by variant key, and loosely (prefix, typos) where allowed. */
  #scoreWord(word: string, scores: Scores, matched: Set<string>, loose: boolean, factor = 1, variants = true): void {
    const key = variants ? keyOf(word) : null;
    for (const [name, field] of this.#fields) {
      const boost = FIELD_BOOSTS[name];
      const score = (term: string, weight: number) => {
        if (!field.has(term)) return;
        matched.add(term);
        this.#scoreTerm(field, term, boost * weight * factor, scores);
      };
      score(word, WEIGHT.exact);
      if (key !== null) score(key, WEIGHT.variant);
      if (!loose) continue;
      let budget = EXPANSION_POSTINGS_BUDGET;
      const expand = (term: string, weight: number) => {
        const cost = field.documentFrequency(term);
        if (cost > budget) return;
        budget -= cost;
        score(term, weight);
      };
      if (word.length >= MIN_FUZZY_CHARS) {
        const maxEdits = Math.min(MAX_EDITS, Math.floor(word.length * FUZZINESS));
        for (const { term, edits } of field.fuzzyTerms(word, maxEdits, MAX_FUZZY_TERMS)) {
          if (!term.startsWith(word)) expand(term, WEIGHT.fuzzy * (1 - edits / (word.length + 1)));
        }
      }
      if (word.length >= MIN_PREFIX_CHARS) {
        for (const term of field.termsWithPrefix(word, MAX_PREFIX_TERMS)) if (term !== word) expand(term, WEIGHT.prefix);
      }
    }
  }

  /** BM25 (k1 1.2, b 0.75), as MiniSearch and most engines score. */
  #scoreTerm(field: FieldIndex, term: string, weight: number, scores: Scores): void {
    const pages = Math.max(1, this.#liveCount);
    const df = field.documentFrequency(term);
    const idf = Math.log(1 + (pages - df + 0.5) / (df + 0.5));
    const averageLength = Math.max(1, field.totalLength / pages);
    field.forEachPosting(term, (doc, tf) => {
      if (this.#live[doc] !== 1) return;
      const norm = tf + 1.2 * (1 - 0.75 + (0.75 * field.length(doc)) / averageLength);
      scores.add(doc, (weight * idf * tf * 2.2) / norm);
    });
  }

  /** The best `count` pages in order; a heap rather than a full sort, as common words touch most of the archive. */
  #rank(scores: Scores, sort: SearchSort, count: number): number[] {
    const dateOf = (doc: number) => this.#columns.documentDate[doc] || this.#columns.capturedAt[doc] || '';
    const byScore = (a: number, b: number) => (scores.values[b] ?? 0) - (scores.values[a] ?? 0);
    const direction = sort === 'newest' ? -1 : 1;
    const order =
      sort === 'relevance'
        ? byScore
        : (a: number, b: number) => {
            const da = dateOf(a);
            const db = dateOf(b);
            return da === db ? byScore(a, b) : da < db ? -direction : direction;
          };
    return topK(scores.touched, count, order);
  }

  /**
   * `terms` are everything the search matched, not only what this page holds: the viewer keeps
   * the page's own words among them (hit-boxes), and working that out here for every hit cost
   * more than the search itself.
   */
  #toHit(doc: number, score: number, terms: readonly string[], isMatch: (word: string, position: number) => boolean): PageHit {
    const column = (name: StoredColumn) => this.#columns[name][doc] ?? '';
    return {
      pageId: column('id'),
      score,
      fileName: column('fileName'),
      deviceId: column('deviceId'),
      capturedAt: column('capturedAt'),
      documentId: column('documentId') || column('id'),
      documentTitle: column('title'),
      caseNumber: column('caseNumber'),
      snippet: buildSnippet(this.#text(doc), isMatch),
      terms,
    };
  }

  #text(doc: number): string {
    // A phrase's hits are read to confirm it and again for their snippets: kept for one search.
    const cached = this.#recentTexts.get(doc);
    if (cached !== undefined) return cached;
    const text = this.#texts.get(doc);
    if (this.#recentTexts.size >= RECENT_TEXTS) this.#recentTexts.clear();
    this.#recentTexts.set(doc, text);
    return text;
  }

  #add(page: IndexedPage): void {
    const doc = this.#columns.id.length;
    for (const column of COLUMNS) this.#columns[column].push(String(page[column] ?? ''));
    if (this.#texts.add(page.text) !== doc) throw new Error('The search index lost count of its pages.');
    const fingerprints: number[] = [];
    if (doc >= this.#live.length) {
      const grown = new Uint8Array(this.#live.length * 2);
      grown.set(this.#live);
      this.#live = grown;
    }
    this.#live[doc] = 1;
    this.#liveCount++;
    this.#docOf.set(page.id, doc);
    for (const name of FIELDS) {
      const value = name === 'text' ? page.text : (page[name] ?? '');
      if (value === '') continue;
      let field = this.#fields.get(name);
      if (!field) {
        field = new FieldIndex();
        this.#fields.set(name, field);
      }
      const { terms, length } = termsOf(value, name === 'text' ? fingerprints : undefined);
      if (length > 0) field.add(doc, terms, length);
    }
    if (this.#words.add(fingerprints) !== doc) throw new Error('The search index lost count of its pages.');
    for (const field of this.#fields.values()) {
      if (field.wantsFreeze) field.freeze((d) => this.#live[d] === 1);
    }
  }

  #remove(doc: number): void {
    this.#live[doc] = 0;
    this.#liveCount--;
    this.#docOf.delete(this.#columns.id[doc] ?? '');
    this.#texts.clear(doc);
    this.#recentTexts.delete(doc);
    this.#words.clear(doc);
    for (const field of this.#fields.values()) field.remove(doc);
  }

  /**
   * Removed pages leave their slots (document numbers are positions) until a snapshot; fine, as
   * pages are rarely removed. Compacting would renumber every posting, so it is left to a rebuild.
   */
  #compactPages(): void {}
}

/** The first `count` of `items` under `order`, in order, without sorting them all. */
export function topK(items: ArrayLike<number>, count: number, order: (a: number, b: number) => number): number[] {
  if (items.length <= count * 4) return Array.from(items).sort(order).slice(0, count);
  // A max-heap (under `order`) of the best `count` seen: its root is the worst of them.
  const heap: number[] = [];
  const worse = (a: number, b: number) => order(a, b) > 0;
  const swap = (i: number, j: number) => {
    const t = heap[i] as number;
    heap[i] = heap[j] as number;
    heap[j] = t;
  };
  for (let at = 0; at < items.length; at++) {
    const item = items[at] as number;
    if (heap.length < count) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!worse(heap[i] as number, heap[parent] as number)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (count > 0 && worse(heap[0] as number, item)) {
      heap[0] = item;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let largest = i;
        if (left < heap.length && worse(heap[left] as number, heap[largest] as number)) largest = left;
        if (right < heap.length && worse(heap[right] as number, heap[largest] as number)) largest = right;
        if (largest === i) break;
        swap(i, largest);
        i = largest;
      }
    }
  }
  return heap.sort(order);
}

function filterFor(filters: SearchFilters | undefined, columns: Readonly<Record<StoredColumn, string[]>>): (doc: number) => boolean {
  if (!filters) return () => true;
  const checks: Array<(doc: number) => boolean> = [];
  const dateOf = (doc: number) => (columns.documentDate[doc] || columns.capturedAt[doc] || '').slice(0, 10);
  const { from, to, source, status, institution, documentType, batchId, batchState } = filters;
  if (from) checks.push((doc) => dateOf(doc) >= from);
  if (to) checks.push((doc) => dateOf(doc) !== '' && dateOf(doc) <= to);
  if (source) checks.push((doc) => columns.sourceKind[doc] === source);
  if (status) checks.push((doc) => columns.status[doc] === status);
  if (institution) checks.push((doc) => columns.institution[doc] === institution);
  if (documentType) checks.push((doc) => columns.documentType[doc] === documentType);
  if (batchId) checks.push((doc) => columns.batchId[doc] === batchId);
  // A page in no batch has no batch id; its state column is empty too.
  if (batchState === 'unbatched') checks.push((doc) => columns.batchId[doc] === '');
  else if (batchState) checks.push((doc) => columns.batchState[doc] === batchState);
  return (doc) => checks.every((check) => check(doc));
}
