import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PDFString, type PDFContext, type PDFRef } from 'pdf-lib';
import { SYSTEM_TESSDATA_DIRS } from '../ocr/tessdata';

/**
 * The invisible text layer needs a font that has a glyph for every character (Albanian, Serbian
 * Cyrillic, anything OCR returns) but draws nothing. Tesseract ships exactly that for its own PDF
 * output: `pdf.ttf`, the "GlyphLessFont" (Apache-2.0, in Debian's libtesseract5, a dependency of
 * the tesseract-ocr packages the app already needs). Its one real glyph is 1024/2048 = 500/1000
 * em wide; every character code maps to it, so each character advances half an em and the text
 * is stretched (Tz) to the width of the word it covers.
 */
export const GLYPH_WIDTH = 500;
export const GLYPHLESS_FONT_FILE = 'pdf.ttf';

export function findGlyphlessFont(env: NodeJS.ProcessEnv = process.env): Buffer {
  const dirs = [env.ARKIVA_TESSDATA?.trim(), ...SYSTEM_TESSDATA_DIRS].filter((dir): dir is string => Boolean(dir));
  for (const dir of dirs) {
    try {
      return readFileSync(path.join(dir, GLYPHLESS_FONT_FILE));
    } catch {
      // try the next folder
    }
  }
  throw new Error(
    `The text-layer font ${GLYPHLESS_FONT_FILE} was not found in ${dirs.join(', ')}: install it with \`apt-get install libtesseract5\`.`,
  );
}

/**
 * Adds the font as a Type0 / CIDFontType2 font with Identity-H encoding: text is written as
 * UTF-16BE code units, a CIDToGIDMap sends every code to the one glyph (never to .notdef, which
 * PDF/A forbids showing), and the ToUnicode CMap maps each code back to itself, so copying and
 * searching yield the OCR text.
 */
export function embedGlyphlessFont(context: PDFContext, fontProgram: Uint8Array): PDFRef {
  const fontFile = context.register(context.flateStream(fontProgram, { Length1: fontProgram.length }));
  const descriptor = context.register(
    context.obj({
      Type: 'FontDescriptor',
      FontName: 'GlyphLessFont',
      Flags: 5, // fixed pitch, symbolic
      FontBBox: [0, 0, GLYPH_WIDTH, 1000],
      ItalicAngle: 0,
      Ascent: 1000,
      Descent: -1,
      CapHeight: 1000,
      StemV: 80,
      FontFile2: fontFile,
    }),
  );
  const cidToGid = new Uint8Array(2 * 65536);
  for (let code = 0; code < 65536; code += 1) cidToGid[code * 2 + 1] = 1;
  const cidFont = context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: 'GlyphLessFont',
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      DW: GLYPH_WIDTH,
      CIDToGIDMap: context.register(context.flateStream(cidToGid)),
    }),
  );
  const toUnicode = context.register(context.flateStream(IDENTITY_TO_UNICODE));
  return context.register(
    context.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: 'GlyphLessFont',
      Encoding: 'Identity-H',
      DescendantFonts: [cidFont],
      ToUnicode: toUnicode,
    }),
  );
}

const IDENTITY_TO_UNICODE = [
  '/CIDInit /ProcSet findresource begin',
  '12 dict begin',
  'begincmap',
  '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
  '/CMapName /Adobe-Identity-UCS def',
  '/CMapType 2 def',
  '1 begincodespacerange',
  '<0000> <FFFF>',
  'endcodespacerange',
  '1 beginbfrange',
  '<0000> <FFFF> <0000>',
  'endbfrange',
  'endcmap',
  'CMapName currentdict /CMap defineresource pop',
  'end',
  'end',
  '',
].join('\n');
