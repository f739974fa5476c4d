import type { OcrWord } from '../../common/api/contract';
import { GLYPH_WIDTH } from './glyphless-font';

export interface TextLayerGeometry {
  /** Page height in points (PDF y runs upwards from the bottom). */
  pageHeight: number;
  /** Points per image pixel. */
  scale: number;
}

/**
 * Content-stream operators for the invisible text (render mode 3) of one page. Each OCR word is
 * placed on its own box: the font size is the box height, so a viewer's highlight covers the
 * word from its top to its bottom (the font's ascent is one em, its descent zero), and the
 * horizontal scaling stretches the word's glyphs to exactly the box width. Words go in OCR
 * reading order, which is the order text extraction and copy-and-paste follow.
 */
export function textLayerOperators(words: readonly OcrWord[], geometry: TextLayerGeometry, fontName: string): string {
  const lines: string[] = [];
  for (const word of words) {
    const text = word.text.trim();
    const units = utf16Units(text);
    const { x0, y0, x1, y1 } = word.bbox;
    if (units.length === 0 || x1 <= x0 || y1 <= y0) continue;
    const size = (y1 - y0) * geometry.scale;
    const width = (x1 - x0) * geometry.scale;
    const stretch = (100 * width) / ((units.length * GLYPH_WIDTH * size) / 1000);
    const x = x0 * geometry.scale;
    const baseline = geometry.pageHeight - y1 * geometry.scale;
    const hex = units.map((unit) => unit.toString(16).padStart(4, '0')).join('');
    lines.push(`/${fontName} ${num(size)} Tf ${num(stretch)} Tz 1 0 0 1 ${num(x)} ${num(baseline)} Tm <${hex}> Tj`);
  }
  if (lines.length === 0) return '';
  return ['BT', '3 Tr', ...lines, 'ET', ''].join('\n');
}

/** UTF-16 code units, without unpaired surrogates or control characters (they would corrupt extraction). */
function utf16Units(text: string): number[] {
  const units: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || (code >= 0xd800 && code <= 0xdfff)) continue;
    for (let i = 0; i < char.length; i += 1) units.push(char.charCodeAt(i));
  }
  return units;
}

/** Numbers as PDF writes them: no exponent, at most 3 decimals. */
export function num(value: number): string {
  const fixed = value.toFixed(3);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
