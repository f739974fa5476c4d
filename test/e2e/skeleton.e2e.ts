// The walking skeleton, through every layer, as a clerk and an investigator would use it: import a
// page and scan one in the browser UI, OCR in the services' worker threads, archive on disk, catalog
// and index in the page, and find the page again from the search box.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { repoRoot } from '../../build/electron-binary';
import { launchChromium } from './support/chromium';
import { startLocalHostProcess, type RunningLocalHost } from './support/local-host-process';

const PHOTOTEST = path.resolve(repoRoot, '../shared/fixtures/ocr/phototest.tif');
const SCREENSHOTS = path.join(repoRoot, 'test-results', 'e2e');

let host: RunningLocalHost;
let browser: Browser;
let page: Page;
const securityViolations: string[] = [];

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  host = await startLocalHostProcess();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (error) => console.error('page error:', error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      securityViolations.push(message.text());
    }
  });
  await page.goto(host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

const rows = () => page.getByTestId('page-item');

describe('walking skeleton in headless Chromium on the local host', () => {
  it('knows it runs on the local host', async () => {
    await expect.poll(() => page.getByTestId('host-badge').textContent()).toMatch(/local/i);
  });

  it('imports phototest.tif, OCRs it in the services and lists it as recognized', async () => {
    await page.getByTestId('import-input').setInputFiles(PHOTOTEST);
    await page.locator('[data-testid="page-item"][data-status="recognized"]').first().waitFor({ timeout: 120_000 });
    expect(await rows().count()).toBe(1);
    await expect.poll(() => rows().first().textContent()).toContain('phototest.tif');
  });

  it('stores the original, byte for byte, in the archive on disk', async () => {
    const id = await rows().first().getAttribute('data-page-id');
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    const stored = await readFile(path.join(host.archiveDir, 'originals', id!.slice(0, 2), `${id}.tif`));
    expect(stored.equals(await readFile(PHOTOTEST))).toBe(true);
  });

  it('finds the page from the search box and shows the hit on the page image', async () => {
    await page.getByTestId('search-input').fill('brown');
    const result = page.getByTestId('search-result').first();
    await result.waitFor();
    expect(await result.textContent()).toContain('phototest.tif');
    await result.click();
    await page.getByTestId('page-viewer').locator('img').waitFor();
    await expect.poll(() => page.getByTestId('hit-box').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'skeleton-search.png'), fullPage: true });
  });

  it('sends the open page for OCR again, in the languages the clerk picks, and shows the new reading', async () => {
    const viewer = page.getByTestId('page-viewer');
    const id = await viewer.getAttribute('data-page-id');
    await viewer.getByTestId('recognize-languages').selectOption({ label: 'Albanian and English' });
    await viewer.getByTestId('recognize-again-button').click();
    const pageFile = path.join(host.archiveDir, 'pages', id!.slice(0, 2), `${id}.json`);
    await expect
      .poll(async () => JSON.parse(await readFile(pageFile, 'utf8')) as { status: string; ocr?: { languages: string } }, { timeout: 60_000 })
      .toMatchObject({ status: 'recognized', ocr: { languages: 'sqi+eng' } });
    await expect.poll(() => viewer.getByTestId('recognize-again-button').textContent(), { timeout: 30_000 }).toBe('Recognise again');
    expect(await viewer.locator('.ocr-text pre').textContent()).toContain('quick brown dog');
  });

  it('finds it despite diacritics and case in the query', async () => {
    await page.getByTestId('search-input').fill('QUÍCK');
    await page.getByTestId('search-result').first().waitFor();
    expect(await page.getByTestId('search-result').first().textContent()).toContain('phototest.tif');
  });

  it('scans a page from the SANE test device into the same archive', async () => {
    const select = page.getByTestId('device-select');
    await select.locator('option[value="sane:test:0"]').waitFor({ state: 'attached', timeout: 30_000 });
    await select.selectOption('sane:test:0');
    await page.getByTestId('scan-button').click();
    await expect.poll(() => rows().count(), { timeout: 60_000 }).toBe(2);
    await page.locator('[data-testid="page-item"]:not([data-status="pending-ocr"])').nth(1).waitFor({ timeout: 120_000 });
    const originals = await readdir(path.join(host.archiveDir, 'originals'));
    expect(originals.length).toBeGreaterThanOrEqual(1);
  });

  it('shows a clear error for a corrupt file and loses nothing already imported', async () => {
    await page.getByTestId('import-input').setInputFiles({
      name: 'torn.png',
      mimeType: 'image/png',
      buffer: Buffer.from('this is not a png'),
    });
    await page.getByTestId('error-banner').waitFor();
    expect(await page.getByTestId('error-banner').textContent()).toContain('torn.png');
    expect(await rows().count()).toBe(2);
  });

  it('saves the OCR settings the clerk picks, for the pages that follow', async () => {
    const settings = page.getByTestId('ocr-settings');
    await settings.locator('summary').click();
    await settings.getByTestId('ocr-latin-languages').selectOption({ label: 'English, then Albanian' });
    await settings.getByTestId('ocr-review-below').fill('60');
    await settings.getByTestId('ocr-settings-save').click();
    await settings.getByTestId('ocr-settings-saved').waitFor();
    const saved = JSON.parse(await readFile(path.join(host.archiveDir, 'settings', 'ocr.json'), 'utf8')) as unknown;
    expect(saved).toMatchObject({ languages: 'eng+sqi', reviewBelowConfidence: 60 });
  });

  it('ran without a single Content-Security-Policy violation', () => {
    expect(securityViolations).toEqual([]);
  });

  it('rebuilds its catalog and index from the services after a reload', async () => {
    await page.reload();
    await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(2);
    await page.getByTestId('search-input').fill('lazy fox');
    await page.getByTestId('search-result').first().waitFor();
    expect(await page.getByTestId('search-result').first().textContent()).toContain('phototest.tif');
  });

  it('switches the whole screen to Albanian, and keeps the choice after a reload', async () => {
    await page.getByTestId('ui-language').selectOption('sq');
    await expect.poll(() => page.locator('#import-title').textContent()).toBe('Importimi');
    await page.reload();
    await expect.poll(() => page.locator('#import-title').textContent(), { timeout: 30_000 }).toBe('Importimi');
    expect(await page.getByTestId('ui-language').inputValue()).toBe('sq');
    await page.getByTestId('ui-language').selectOption('en');
    await expect.poll(() => page.locator('#import-title').textContent()).toBe('Import');
  });
});
