import MiniSearch, { type SearchResult } from 'minisearch';
import { foldForSearch } from '../../common/text/fold';
import { tokenize } from '../../common/text/tokenize';
import type { IndexedPage, PageHit } from './indexed-page';
import { queryWords } from './query';
import { buildSnippet } from './snippet';

/** Prefix matching from this many characters: shorter prefixes match half the archive. */
const MIN_PREFIX_CHARS = 3;
/** Typo tolerance from this many characters: "nr" must not match "ne", "në", "na"… */
const MIN_FUZZY_CHARS = 5;
/** Edits allowed, as a share of the word's length: one typo in 5–9 letters, two from 10. */
const FUZZINESS = 0.2;
const MAX_EDITS = 2;

export type UpsertChange = 'added' | 'replaced' | 'unchanged' | 'removed' | 'absent';

const processTerm = (term: string): string | null => {
  const folded = foldForSearch(term);
  return folded === '' ? null : folded;
};

/**
 * Full-text index over the OCR text and file names of pages. Indexed text and queries are both
 * folded (common/text), so accents, đ, and case never decide whether a page is found.
 * It is a cache: rebuilt from the catalog whenever it is lost.
 */
export class PageIndex {
  readonly #index = new MiniSearch<IndexedPage>({
    fields: ['text', 'fileName'],
    storeFields: ['fileName', 'deviceId', 'capturedAt'],
    tokenize,
    processTerm,
    searchOptions: {
      combineWith: 'AND',
      prefix: (term) => term.length >= MIN_PREFIX_CHARS,
      fuzzy: (term) => (term.length >= MIN_FUZZY_CHARS ? FUZZINESS : false),
      maxFuzzy: MAX_EDITS,
    },
  });
  /** What is indexed per page: for snippets, and to skip re-indexing a page that has not changed. */
  readonly #pages = new Map<string, IndexedPage>();

  get size(): number {
    return this.#pages.size;
  }

  has(pageId: string): boolean {
    return this.#pages.has(pageId);
  }

  /** Adds, replaces or (when it has no text) removes a page; never indexes one page twice. */
  upsert(page: IndexedPage): UpsertChange {
    const held = this.#pages.get(page.id);
    if (page.text === '') {
      if (!held) return 'absent';
      this.#index.discard(page.id);
      this.#pages.delete(page.id);
      return 'removed';
    }
    if (held && sameIndexedContent(held, page)) return 'unchanged';
    const document: IndexedPage = { ...page };
    if (held) this.#index.replace(document);
    else this.#index.add(document);
    this.#pages.set(page.id, document);
    return held ? 'replaced' : 'added';
  }

  /** Never throws for any string: odd input finds nothing rather than failing. */
  search(query: string, limit = 50): PageHit[] {
    const words = queryWords(query);
    if (words.length === 0) return [];
    return this.#index
      .search(words.join(' '))
      .slice(0, limit)
      .map((result) => this.#toHit(result));
  }

  #toHit(result: SearchResult): PageHit {
    const pageId = String(result.id);
    const page = this.#pages.get(pageId);
    return {
      pageId,
      score: result.score,
      fileName: page?.fileName ?? '',
      deviceId: page?.deviceId ?? '',
      capturedAt: page?.capturedAt ?? '',
      snippet: page ? buildSnippet(page.text, result.terms) : [],
      terms: result.terms,
    };
  }
}

function sameIndexedContent(a: IndexedPage, b: IndexedPage): boolean {
  return a.text === b.text && a.fileName === b.fileName && a.deviceId === b.deviceId && a.capturedAt === b.capturedAt;
}
