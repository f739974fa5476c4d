/**
 * Character error rate of OCR output against a ground truth: the edits (insertions, deletions,
 * substitutions) needed to turn one into the other, per character of the truth. Whitespace
 * runs count as one space, because line breaks and blank lines are layout, not text.
 */
export function characterErrorRate(recognised: string, truth: string): number {
  const expected = normaliseWhitespace(truth);
  const actual = normaliseWhitespace(recognised);
  if (expected.length === 0) return actual.length === 0 ? 0 : 1;
  return editDistance(actual, expected) / expected.length;
}

/** Levenshtein distance over Unicode code points, in O(min(a, b)) memory. */
export function editDistance(a: string, b: string): number {
  const [long, short] = a.length >= b.length ? [[...a], [...b]] : [[...b], [...a]];
  let previous = Array.from({ length: short.length + 1 }, (_, index) => index);
  for (const [row, longChar] of long.entries()) {
    const current = [row + 1];
    for (const [column, shortChar] of short.entries()) {
      const substitution = (previous[column] ?? 0) + (longChar === shortChar ? 0 : 1);
      const deletion = (previous[column + 1] ?? 0) + 1;
      const insertion = (current[column] ?? 0) + 1;
      current.push(Math.min(substitution, deletion, insertion));
    }
    previous = current;
  }
  return previous[short.length] ?? 0;
}

function normaliseWhitespace(text: string): string {
  return text.trim().replace(/\s+/gu, ' ');
}
