import { tokenizeWithOffsets, type Token } from '../../common/text/tokenize';
import type { SnippetPart } from './indexed-page';
import { termMatcher } from './term-match';

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
 * (see termMatcher): the query "prishtine" marks "Prishtinë" as written on the page.
 */
export function buildSnippet(
  text: string,
  terms: Iterable<string> | ((word: string) => boolean),
  options: Partial<SnippetOptions> = {},
): SnippetPart[] {
  const { length, lead } = { ...DEFAULTS, ...options };
  const matches = typeof terms === 'function' ? terms : termMatcher(terms);
  const tokens = tokenizeWithOffsets(text);
  const isMatch = (token: Token) => matches(token.text);
  const first = tokens.find(isMatch);

  const from = first ? first.start - lead : 0;
  const start = first && from > 0 ? wordStartAtOrAfter(tokens, from, first.start) : 0;
  const end = wordEndAtOrBefore(tokens, start + length, first?.end ?? 0, text.length);

  const parts: SnippetPart[] = [];
  const push = (part: string, match: boolean) => {
    const tidy = part.replace(/\s+/g, ' ');
    if (tidy) parts.push({ text: tidy, match });
  };
  let cursor = start;
  for (const token of tokens) {
    if (token.start < start || token.end > end || !isMatch(token)) continue;
    push(text.slice(cursor, token.start), false);
    push(token.text, true);
    cursor = token.end;
  }
  push(text.slice(cursor, end), false);

  if (parts.length === 0) return [];
  // Ellipses only where words were left out, not for cut-off spaces or punctuation.
  if (tokens.some((token) => token.start < start)) parts.unshift({ text: ELLIPSIS, match: false });
  if (tokens.some((token) => token.end > end)) parts.push({ text: ELLIPSIS, match: false });
  return trimEdges(parts);
}

/** Starts the excerpt on a word boundary, never after the match it must show. */
function wordStartAtOrAfter(tokens: readonly Token[], position: number, limit: number): number {
  return tokens.find((token) => token.start >= position)?.start ?? limit;
}

/** Ends the excerpt on a word boundary, never before the match it must show. */
function wordEndAtOrBefore(tokens: readonly Token[], position: number, atLeast: number, textLength: number): number {
  if (position >= textLength) return textLength;
  let end = atLeast;
  for (const token of tokens) {
    if (token.end > position) break;
    end = Math.max(end, token.end);
  }
  return end > 0 ? end : Math.min(position, textLength);
}

function trimEdges(parts: SnippetPart[]): SnippetPart[] {
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (first && !first.match) parts[0] = { ...first, text: first.text.trimStart() };
  if (last && !last.match) parts[parts.length - 1] = { ...last, text: last.text.trimEnd() };
  return parts.filter((part) => part.text !== '');
}
