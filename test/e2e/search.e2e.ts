// Search as an investigator uses it, end to end in headless Chromium on the local host: the same
// place in Albanian, Serbian Latin and Serbian Cyrillic, a misspelled surname, the hit shown on
// the page image, and odd input that must never break the search box. The archive is seeded
// through the services' own ArchiveStore with pages whose OCR text and word boxes are written
// here, so the test needs no Cyrillic OCR to run.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { OcrWord, PageRecord } from '../../common/api/contract';
import { repoRoot } from '../../build/electron-binary';
import { ArchiveStore } from '../../services/archive/archive-store';
import { DISPLAY_IMAGE } from '../../services/pages/page-intake';
import { launchChromium } from './support/chromium';
import { startLocalHostProcess, type RunningLocalHost } from './support/local-host-process';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'e2e');

const WIDTH = 1400;
const HEIGHT = 400;
const FONT_SIZE = 32;
/** DejaVu Sans Mono advances 1233/2048 em per character. */
const CHAR_WIDTH = (FONT_SIZE * 1233) / 2048;
const LEFT = 40;
const BASELINE = 120;

interface SeededPage {
  readonly key: string;
  readonly text: string;
  readonly fileName: string;
  readonly capturedAt: string;
}

const PAGES: readonly SeededPage[] = [
  { key: 'prishtine', text: 'Raport policor nga Prishtinë, data 12.03.1999.', fileName: 'raport-prishtine.png', capturedAt: '2026-01-05T09:00:00.000Z' },
  { key: 'prishtina', text: 'Komuna e Prishtina, deklaratë e dëshmitarit.', fileName: 'komuna-prishtina.png', capturedAt: '2026-02-05T09:00:00.000Z' },
  { key: 'pristina', text: 'Zapisnik o uviđaju, Priština, 1999.', fileName: 'zapisnik-pristina.png', capturedAt: '2026-03-05T09:00:00.000Z' },
  { key: 'cyrillic', text: 'Записник о увиђају, Приштина, 1999.', fileName: 'zapisnik-cirilica.png', capturedAt: '2026-04-05T09:00:00.000Z' },
  { key: 'peje', text: 'Deklaratë e dëshmitarit në Pejë.', fileName: 'deklarate-peje.png', capturedAt: '2026-05-05T09:00:00.000Z' },
  { key: 'krasniqi', text: 'I dyshuari Arben Krasniqi u intervistua.', fileName: 'intervista.png', capturedAt: '2026-06-05T09:00:00.000Z' },
  { key: 'autopsy', text: 'Autopsy report, Institute of Forensic Medicine.', fileName: 'autopsy.png', capturedAt: '2026-07-05T09:00:00.000Z' },
];

/** Word boxes where the monospaced text below draws each word, as Tesseract would report them. */
function wordsOf(text: string): OcrWord[] {
  return Array.from(text.matchAll(/\S+/g), (match) => ({
    text: match[0],
    confidence: 91,
    bbox: {
      x0: Math.round(LEFT + match.index * CHAR_WIDTH),
      y0: BASELINE - FONT_SIZE,
      x1: Math.round(LEFT + (match.index + match[0].length) * CHAR_WIDTH),
      y1: BASELINE + 8,
    },
  }));
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function pageImage(text: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}">
    <rect width="100%" height="100%" fill="#fbfaf6"/>
    <text x="${LEFT}" y="${BASELINE}" font-family="DejaVu Sans Mono" font-size="${FONT_SIZE}" fill="#222">${escapeXml(text)}</text>
    <text x="${LEFT}" y="${BASELINE + 80}" font-family="DejaVu Sans Mono" font-size="20" fill="#888">Arkiva e2e · search</text>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Writes the pages into the archive as intake and recognition would have left them. */
async function seedArchive(archiveDir: string): Promise<Map<string, string>> {
  const archive = await ArchiveStore.open(archiveDir);
  const ids = new Map<string, string>();
  for (const seeded of PAGES) {
    const png = await pageImage(seeded.text);
    const { id } = await archive.putOriginal(png, 'image/png');
    const displayHash = await archive.putDerived(id, DISPLAY_IMAGE, png);
    const record: PageRecord = {
      id,
      source: { kind: 'import', fileName: seeded.fileName },
      capturedAt: seeded.capturedAt,
      originalMimeType: 'image/png',
      width: WIDTH,
      height: HEIGHT,
      status: 'recognized',
      ocr: { text: seeded.text, confidence: 91, languages: 'sqi+srp+srp_latn', words: wordsOf(seeded.text) },
      derived: { [DISPLAY_IMAGE]: displayHash },
    };
    await archive.savePage(record);
    ids.set(seeded.key, id);
  }
  return ids;
}

let host: RunningLocalHost;
let browser: Browser;
let page: Page;
let ids: Map<string, string>;
const pageErrors: string[] = [];

const id = (key: string) => {
  const found = ids.get(key);
  if (!found) throw new Error(`no seeded page ${key}`);
  return found;
};

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  host = await startLocalHostProcess();
  // The services read the archive on disk for every listing, so pages written now are listed.
  ids = await seedArchive(host.archiveDir);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

async function search(query: string): Promise<void> {
  await page.getByTestId('search-input').fill(query);
}

/** The page ids listed once the search for `query` has settled. */
async function resultsFor(query: string, expectedCount: number): Promise<string[]> {
  await search(query);
  await expect.poll(() => page.getByTestId('search-result').count(), { timeout: 15_000 }).toBe(expectedCount);
  await expect.poll(() => page.getByTestId('search-count').count()).toBe(1);
  const found = await page.getByTestId('search-result').evaluateAll((items) => items.map((item) => item.getAttribute('data-page-id') ?? ''));
  return found.sort();
}

describe('search across scripts, spellings and OCR in headless Chromium', () => {
  const prishtinaPages = () => ['prishtine', 'prishtina', 'pristina', 'cyrillic'].map(id).sort();

  it('lists the seeded pages from the archive', async () => {
    await expect.poll(() => page.getByTestId('page-item').count(), { timeout: 30_000 }).toBe(PAGES.length);
  });

  it('finds Prishtinë, Prishtina and Priština from "Приштина"', async () => {
    expect(await resultsFor('Приштина', 4)).toEqual(prishtinaPages());
    await page.screenshot({ path: path.join(SCREENSHOTS, 'search-cyrillic-query.png'), fullPage: true });
  });

  it.each(['Prishtinë', 'Prishtina', 'Priština'])('finds every other spelling from "%s"', async (query) => {
    expect(await resultsFor(query, 4)).toEqual(prishtinaPages());
  });

  it('finds Pejë from "Peć"', async () => {
    expect(await resultsFor('Peć', 1)).toEqual([id('peje')]);
    const snippet = await page.getByTestId('search-result').first().locator('mark').allTextContents();
    expect(snippet).toEqual(['Pejë']);
  });

  it('finds the record from a misspelled surname', async () => {
    expect(await resultsFor('Krasnqi', 1)).toEqual([id('krasniqi')]);
  });

  it('opens a result on the page image with the hit highlighted where the word stands', async () => {
    await resultsFor('Приштина', 4);
    await page.locator(`[data-testid="search-result"][data-page-id="${id('prishtine')}"]`).click();
    const viewer = page.getByTestId('page-viewer');
    await expect.poll(() => viewer.getAttribute('data-page-id')).toBe(id('prishtine'));
    await viewer.locator('img').waitFor();
    await expect.poll(() => page.getByTestId('hit-box').count()).toBe(1);
    // The box sits on "Prishtinë," (the 4th word), in percent of the page.
    const word = wordsOf(PAGES[0]!.text)[3]!;
    const style = await page.getByTestId('hit-box').first().getAttribute('style');
    const left = Number(/left:\s*([\d.]+)%/.exec(style ?? '')?.[1]);
    const top = Number(/top:\s*([\d.]+)%/.exec(style ?? '')?.[1]);
    expect(left).toBeCloseTo((word.bbox.x0 / WIDTH) * 100, 1);
    expect(top).toBeCloseTo((word.bbox.y0 / HEIGHT) * 100, 1);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'search-hit-on-page.png'), fullPage: true });
  });

  it('sorts by date and filters by date range and source', async () => {
    await resultsFor('Prishtina', 4);
    await page.getByTestId('search-sort').selectOption('oldest');
    await expect.poll(() => page.getByTestId('search-result').first().getAttribute('data-page-id')).toBe(id('prishtine'));
    await page.getByTestId('search-sort').selectOption('newest');
    await expect.poll(() => page.getByTestId('search-result').first().getAttribute('data-page-id')).toBe(id('cyrillic'));
    await page.getByTestId('search-from').fill('2026-02-01');
    await page.getByTestId('search-to').fill('2026-03-31');
    await expect.poll(() => page.getByTestId('search-result').count()).toBe(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'search-filters.png'), fullPage: true });
    await page.getByTestId('search-source').selectOption('scan');
    await expect.poll(() => page.getByTestId('search-result').count()).toBe(0);
    await page.getByTestId('search-clear-filters').click();
    await page.getByTestId('search-sort').selectOption('relevance');
    await expect.poll(() => page.getByTestId('search-result').count()).toBe(4);
  });

  it('answers odd input quickly and keeps working', async () => {
    const odd = ['', '   ', '.,;:!?()[]{}', '.*+?^${}()|[]\\', '(a+)+$', '"', '"raport', 'Приштина Prishtinë Peć 1999 ""', 'x'.repeat(5000), 'raport '.repeat(700)];
    for (const query of odd) {
      const started = Date.now();
      await search(query);
      await page.waitForTimeout(150);
      await expect.poll(() => page.getByTestId('search-input').inputValue()).toBe(query.slice(0, 5000 * 2));
      expect(Date.now() - started).toBeLessThan(5_000);
    }
    expect(await resultsFor('Приштина', 4)).toEqual(prishtinaPages());
    expect(pageErrors).toEqual([]);
    expect(await page.getByTestId('error-banner').count()).toBe(0);
  });

  it('saves the index to IndexedDB, and finds from it after a reload', async () => {
    const savedPages = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const request = indexedDB.open('arkiva-search-index');
            request.onerror = () => resolve(-1);
            request.onsuccess = () => {
              const db = request.result;
              if (!db.objectStoreNames.contains('snapshots')) return resolve(0);
              const get = db.transaction('snapshots').objectStore('snapshots').get('current');
              get.onsuccess = () => resolve((get.result as { snapshot?: { pageCount?: number } } | undefined)?.snapshot?.pageCount ?? 0);
              get.onerror = () => resolve(-1);
            };
          }),
      );
    // Saved once changes have settled and searching has paused (15 s after the last search).
    await expect.poll(savedPages, { timeout: 45_000, interval: 1_000 }).toBe(PAGES.length);
    await page.reload();
    expect(await resultsFor('Peć', 1)).toEqual([id('peje')]);
  });
});
