import type { SnippetPart } from './indexed-page';
import { termMatcher } from './term-match';
import { wordMatcher } from '../../common/text/tokenize';

export interface SnippetOptions {
  /** Roughly how much text to show. */
  readonly length: number;
  /** How much of that comes before the first match, for context. */
  readonly lead: number;
}

const DEFAULTS: SnippetOptions = { length: 200, lead: 60 };
const ELLIPSIS = '…';

/**
 * A short excerpt of `text` around its first matching word, split into parts so the UI can mark
 * the matches without building HTML from page text. `terms` are as the index reports them
 * (see termMatcher): the query "prishtine" marks "Prishtinë" as written on the page. A function
 * instead is asked about each word and its position (0 for the first word of the text).
 */
export function buildSnippet(
  text: string,
  terms: Iterable<string> | ((word: string, position: number) => boolean),
  options: Partial<SnippetOptions> = {},
): SnippetPart[] {
  const { length, lead } = { ...DEFAULTS, ...options };
  const matches = typeof terms === 'function' ? terms : termMatcher(terms);
  // Words are read one at a time and only as far as the excerpt needs: a search builds dozens of
  // snippets, and folding every word of every page to find the first match showed in the benchmark.
  const words = wordMatcher();
  const startsBefore: number[] = [];
  let first: { start: number; end: number } | undefined;
  for (let found = words.exec(text); found !== null; found = words.exec(text)) {
    if (matches(found[0], startsBefore.length)) {
      first = { start: found.index, end: found.index + found[0].length };
      break;
    }
    startsBefore.push(found.index);
  }

  // Starts on a word boundary, never after the match it must show.
  const from = first ? first.start - lead : 0;
  let startWord = first && from > 0 ? startsBefore.findIndex((wordStart) => wordStart >= from) : 0;
  if (startWord < 0) startWord = startsBefore.length;
  const start = first && from > 0 ? (startsBefore[startWord] ?? first.start) : 0;
  const wordsLeftOutBefore = (startsBefore[0] ?? start) < start;

  // The words from the start of the excerpt to where it must end; it ends on a word boundary,
  // never before the match.
  const position = start + length;
  const reach = Math.max(position, first?.end ?? 0);
  const scanned: Array<{ text: string; start: number; end: number; position: number }> = [];
  let beyondReach = false;
  words.lastIndex = start;
  for (let found = words.exec(text); found !== null; found = words.exec(text)) {
    const word = { text: found[0], start: found.index, end: found.index + found[0].length, position: startWord + scanned.length };
    if (word.end > reach) {
      beyondReach = true;
      break;
    }
    scanned.push(word);
  }
  let end = text.length;
  if (position < text.length) {
    end = first?.end ?? 0;
    for (const word of scanned) {
      if (word.end > position) break;
      end = Math.max(end, word.end);
    }
    if (end === 0) end = position;
  }
  const wordsLeftOutAfter = beyondReach || scanned.some((word) => word.end > end);

  const parts: SnippetPart[] = [];
  const push = (part: string, match: boolean) => {
    const tidy = part.replace(/\s+/g, ' ');
    if (tidy) parts.push({ text: tidy, match });
  };
  let cursor = start;
  for (const word of scanned) {
    if (word.end > end || !matches(word.text, word.position)) continue;
    push(text.slice(cursor, word.start), false);
    push(word.text, true);
    cursor = word.end;
  }
  push(text.slice(cursor, end), false);

  if (parts.length === 0) return [];
  // Ellipses only where words were left out, not for cut-off spaces or punctuation.
  if (wordsLeftOutBefore) parts.unshift({ text: ELLIPSIS, match: false });
  if (wordsLeftOutAfter) parts.push({ text: ELLIPSIS, match: false });
  return trimEdges(parts);
}

function trimEdges(parts: SnippetPart[]): SnippetPart[] {
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first && !first.match) parts[0] = { ...first, text: first.text.trimStart() };
  if (last && !last.match) parts[parts.length - 1] = { ...last, text: last.text.trimEnd() };
  return parts.filter((part) => part.text !== '');
}
