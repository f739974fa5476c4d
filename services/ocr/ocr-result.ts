import type Tesseract from 'tesseract.js';
import type { OcrResult, OcrWord } from '../../common/api/contract';
import { toOriginalBox, type PageGeometry } from './page-geometry';

export interface ResultContext {
  languages: string;
  /** How the cleaned image was made from the original; boxes are mapped back through it. */
  geometry?: PageGeometry | undefined;
  /** Pages whose confidence is below this are flagged for review. */
  reviewBelow: number;
  orientation?: number | undefined;
  skewDegrees?: number | undefined;
  script?: string | undefined;
}

/**
 * Our result from Tesseract's page: the page text and mean confidence as Tesseract gives them,
 * every line and every word in reading order (blocks → paragraphs → lines → words) with its box
 * on the original image, and whether a clerk should review it.
 */
export function toOcrResult(page: Tesseract.Page, context: ResultContext): OcrResult {
  const geometry = context.geometry;
  const box = (bbox: Tesseract.Bbox) => {
    const plain = { x0: bbox.x0, y0: bbox.y0, x1: bbox.x1, y1: bbox.y1 };
    return geometry ? toOriginalBox(geometry, plain) : plain;
  };
  const lines = (page.blocks ?? []).flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines));
  const words: OcrWord[] = lines.flatMap((line) =>
    line.words.map((word) => ({ text: word.text, confidence: word.confidence, bbox: box(word.bbox) })),
  );
  const result: OcrResult = {
    text: page.text,
    confidence: page.confidence,
    languages: context.languages,
    words,
    lines: lines.map((line) => ({ text: line.text.trim(), confidence: line.confidence, bbox: box(line.bbox) })),
    needsReview: page.confidence < context.reviewBelow,
  };
  if (context.orientation !== undefined) result.orientation = context.orientation;
  if (context.skewDegrees !== undefined) result.skewDegrees = context.skewDegrees;
  if (context.script) result.scripts = [context.script];
  return result;
}

/** A page with nothing on it: kept, and said to be blank, with the measurement that decided it. */
export function blankResult(languages: string, reason: string): OcrResult {
  return { text: '', confidence: 0, languages, words: [], lines: [], blank: true, blankReason: reason, needsReview: false };
}
