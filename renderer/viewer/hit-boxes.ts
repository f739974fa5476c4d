import type { BBox, OcrWord } from '../../common/api/contract';
import { tokenize } from '../../common/text/tokenize';
import { termMatcher } from '../search/term-match';

/** A box on the displayed page, in percent of its width and height, so it follows any zoom. */
export interface PercentBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The OCR words to highlight for a search: those with a word that is one of the matched terms
 * as the index reports them (termMatcher), so "Приштина" highlights "Prishtinë". OCR words can carry punctuation ("Prishtinë,")
 * or run two words together, so each is tokenised the same way the index tokenised the text.
 */
export function wordsMatching(words: readonly OcrWord[], terms: readonly string[]): OcrWord[] {
  if (terms.length === 0) return [];
  const matches = termMatcher(terms);
  return words.filter((word) => tokenize(word.text).some(matches));
}

/**
 * Places a bbox given in pixels of the original image onto the displayed image. Percentages of
 * the original's size stay right at every displayed size, and for a derived image (the PNG
 * shown for a TIFF original) of other pixel dimensions but the same proportions.
 * Boxes are clipped to the page, and a degenerate box (x1 < x0) is turned the right way round.
 */
export function toPercentBox(bbox: BBox, imageWidth: number, imageHeight: number): PercentBox | null {
  if (!(imageWidth > 0 && imageHeight > 0)) return null;
  const x0 = clamp(Math.min(bbox.x0, bbox.x1), 0, imageWidth);
  const x1 = clamp(Math.max(bbox.x0, bbox.x1), 0, imageWidth);
  const y0 = clamp(Math.min(bbox.y0, bbox.y1), 0, imageHeight);
  const y1 = clamp(Math.max(bbox.y0, bbox.y1), 0, imageHeight);
  if (x1 - x0 <= 0 || y1 - y0 <= 0) return null;
  return {
    left: (x0 / imageWidth) * 100,
    top: (y0 / imageHeight) * 100,
    width: ((x1 - x0) / imageWidth) * 100,
    height: ((y1 - y0) / imageHeight) * 100,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}
