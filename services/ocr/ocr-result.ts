import type Tesseract from 'tesseract.js';
import type { OcrResult, OcrWord } from '../../common/api/contract';

/**
 * Our result from Tesseract's page: the page text and mean confidence as Tesseract gives them,
 * and every word in reading order (blocks → paragraphs → lines → words) with its box.
 */
export function toOcrResult(page: Tesseract.Page, languages: string): OcrResult {
  const words: OcrWord[] = (page.blocks ?? []).flatMap((block) =>
    block.paragraphs.flatMap((paragraph) =>
      paragraph.lines.flatMap((line) =>
        line.words.map((word) => ({
          text: word.text,
          confidence: word.confidence,
          bbox: { x0: word.bbox.x0, y0: word.bbox.y0, x1: word.bbox.x1, y1: word.bbox.y1 },
        })),
      ),
    ),
  );
  return { text: page.text, confidence: page.confidence, languages, words };
}
