import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { LANGUAGES, wordsOf, type BenchLanguage } from './corpus';
import { seededRandom } from '../seeded-random';

/** An A4 page at 300 dpi. */
const WIDTH = 2480;
const HEIGHT = 3508;
const DPI = 300;
const MARGIN = 230;

export interface BenchPage {
  file: string;
  language: BenchLanguage;
  truth: string;
  skewDegrees: number;
}

/**
 * Renders `count` pages of dense text (English, Albanian, Serbian Cyrillic in turn) at 300 dpi,
 * as a scanner delivers them: slightly skewed, with sensor noise and dust specks, a grey paper
 * tone, and on every fourth page a dark band where the scanner lid did not cover the glass.
 * Text is drawn by librsvg with the DejaVu fonts, at 10 to 12 pt. Writes PNG and TIFF (both
 * recording 300 dpi) and returns each file with its ground truth.
 */
export async function generatePages(dir: string, count: number, seed = 4): Promise<BenchPage[]> {
  mkdirSync(dir, { recursive: true });
  const pages: BenchPage[] = [];
  for (let index = 0; index < count; index += 1) {
    const language = LANGUAGES[index % LANGUAGES.length] ?? 'eng';
    const random = seededRandom(seed * 100_003 + index);
    const { svg, truth } = layoutPage(language, random);
    const skewDegrees = Number(((random() - 0.5) * 3).toFixed(2));
    const rendered = await sharp(Buffer.from(svg), { density: 72 })
      .rotate(skewDegrees, { background: '#ffffff' })
      .toColourspace('b-w')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const noisy = addScannerNoise(rendered.data, rendered.info.width, rendered.info.height, random, index % 4 === 1);
    const image = sharp(noisy, { raw: { width: rendered.info.width, height: rendered.info.height, channels: 1 } })
      .extract({
        left: Math.floor((rendered.info.width - WIDTH) / 2),
        top: Math.floor((rendered.info.height - HEIGHT) / 2),
        width: WIDTH,
        height: HEIGHT,
      })
      .withMetadata({ density: DPI });
    const useTiff = index % 4 === 3;
    const file = path.join(dir, `page-${String(index + 1).padStart(4, '0')}-${language}.${useTiff ? 'tif' : 'png'}`);
    const encoded = useTiff ? await image.tiff({ compression: 'lzw', xres: DPI / 25.4, yres: DPI / 25.4 }).toBuffer() : await image.png().toBuffer();
    writeFileSync(file, encoded);
    writeFileSync(file.replace(/\.\w+$/, '.txt'), truth);
    pages.push({ file, language, truth, skewDegrees });
  }
  return pages;
}

function layoutPage(language: BenchLanguage, random: () => number): { svg: string; truth: string } {
  const words = wordsOf(language);
  const pointSize = [10, 11, 12][Math.floor(random() * 3)] ?? 11;
  const fontPx = (pointSize / 72) * DPI;
  const lineHeight = fontPx * 1.45;
  const family = random() < 0.5 ? 'DejaVu Serif' : 'DejaVu Sans';
  // DejaVu's average advance is about 0.55 em; lines are filled to the right margin by that estimate.
  const charsPerLine = Math.floor((WIDTH - 2 * MARGIN) / (fontPx * 0.56));
  const lines: string[] = [];
  for (let y = MARGIN + fontPx; y < HEIGHT - MARGIN; y += lineHeight) {
    let line = '';
    for (;;) {
      const word = words[Math.floor(random() * words.length)] ?? 'a';
      if ((line ? line.length + 1 : 0) + word.length > charsPerLine) break;
      line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  const text = lines
    .map((line, row) => `<text x="${MARGIN}" y="${(MARGIN + fontPx + row * lineHeight).toFixed(1)}">${escapeXml(line)}</text>`)
    .join('\n');
  // Rendered larger than the page so that the skew rotation never brings a corner into view.
  const pad = 200;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH + 2 * pad}" height="${HEIGHT + 2 * pad}">
<rect width="100%" height="100%" fill="#ffffff"/>
<g transform="translate(${pad} ${pad})" font-family="${family}" font-size="${fontPx.toFixed(1)}" fill="#111111">${text}</g>
</svg>`;
  return { svg, truth: lines.join('\n') };
}

/** Paper tone, Gaussian-ish sensor noise, dust specks, and optionally a dark band on one edge. */
function addScannerNoise(pixels: Buffer, width: number, height: number, random: () => number, darkBorder: boolean): Buffer {
  const out = Buffer.alloc(pixels.length);
  for (let i = 0; i < pixels.length; i += 1) {
    const value = (pixels[i] ?? 255) * 0.93 + 8 + (random() + random() + random() - 1.5) * 14;
    out[i] = Math.max(0, Math.min(255, Math.round(value)));
  }
  const specks = Math.floor((width * height) / 9000);
  for (let s = 0; s < specks; s += 1) {
    const x = Math.floor(random() * (width - 3));
    const y = Math.floor(random() * (height - 3));
    const size = random() < 0.8 ? 1 : 2;
    for (let dy = 0; dy < size; dy += 1) for (let dx = 0; dx < size; dx += 1) out[(y + dy) * width + x + dx] = 40;
  }
  if (darkBorder) {
    const band = 60 + Math.floor(random() * 60);
    const padX = Math.floor((width - WIDTH) / 2);
    for (let y = 0; y < height; y += 1) {
      for (let x = padX; x < padX + band; x += 1) out[y * width + x] = 25 + Math.floor(random() * 20);
    }
  }
  return out;
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
