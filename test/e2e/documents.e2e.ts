// The clerk's documents screen, end to end in headless Chromium on the local host: two pages
// imported and recognised, grouped into a document with its metadata, reordered and turned, a
// stale edit refused as a conflict and reloaded, the searchable PDF/A downloaded and read back
// with pdftotext, the archive checked, and the window's catalog and index emptied and rebuilt
// from the archive alone, after which the pages are found again by their case number.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { repoRoot } from '../../build/electron-binary';
import { launchChromium } from './support/chromium';
import { startLocalHostProcess, type RunningLocalHost } from './support/local-host-process';

const run = promisify(execFile);
const FIXTURES = path.resolve(repoRoot, '../shared/fixtures/ocr');
const PHOTOTEST = path.join(FIXTURES, 'phototest.tif');
const EUROTEXT = path.join(FIXTURES, 'eurotext.tif');
const SCREENSHOTS = path.join(repoRoot, 'test-results', 'e2e');
const CASE_NUMBER = '2019/0457-IML';
const PERSON = 'Dragan Živković';

let host: RunningLocalHost;
let browser: Browser;
let page: Page;
let downloads: string;
const pageErrors: string[] = [];
/** Page ids by fixture file name. */
const ids = new Map<string, string>();

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  downloads = await mkdtemp(path.join(tmpdir(), 'arkiva-e2e-downloads-'));
  host = await startLocalHostProcess();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  if (downloads) await rm(downloads, { recursive: true, force: true });
});

const editor = () => page.getByTestId('document-editor');
const revision = async () => Number(await editor().getAttribute('data-revision'));
const pageOrder = () => editor().getByTestId('document-page').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-page-id') ?? ''));
const id = (fileName: string) => {
  const found = ids.get(fileName);
  if (!found) throw new Error(`no page for ${fileName}`);
  return found;
};

/** Counts of the catalog's object stores, read with IndexedDB itself rather than through the app. */
function catalogCounts(target: Page): Promise<Record<string, number>> {
  return target.evaluate(
    (stores) =>
      new Promise<Record<string, number>>((resolve, reject) => {
        const request = indexedDB.open('arkiva-catalog');
        request.onerror = () => reject(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const transaction = db.transaction(stores, 'readonly');
          const counts: Record<string, number> = {};
          for (const store of stores) {
            const count = transaction.objectStore(store).count();
            count.onsuccess = () => (counts[store] = count.result);
          }
          transaction.oncomplete = () => {
            db.close();
            resolve(counts);
          };
          transaction.onerror = () => reject(transaction.error);
        };
      }),
    ['pages', 'documents', 'persons'],
  );
}

describe('documents, PDF/A export and archive maintenance in headless Chromium', () => {
  it('imports phototest.tif and eurotext.tif and waits for their OCR', async () => {
    await page.getByTestId('import-input').setInputFiles([PHOTOTEST, EUROTEXT]);
    await expect.poll(() => page.locator('[data-testid="page-item"][data-status="recognized"]').count(), { timeout: 240_000, interval: 1_000 }).toBe(2);
    for (const item of await page.getByTestId('page-item').all()) {
      const text = (await item.textContent()) ?? '';
      const fileName = ['phototest.tif', 'eurotext.tif'].find((name) => text.includes(name));
      if (fileName) ids.set(fileName, (await item.getAttribute('data-page-id')) ?? '');
    }
    expect([...ids.keys()].sort()).toEqual(['eurotext.tif', 'phototest.tif']);
  });

  it('creates a document from both pages', async () => {
    await page.getByTestId('new-document').click();
    const boxes = page.getByTestId('new-document-page');
    await expect.poll(() => boxes.count()).toBe(2);
    await page.locator(`[data-testid="new-document-page"][data-page-id="${id('phototest.tif')}"]`).check();
    await page.locator(`[data-testid="new-document-page"][data-page-id="${id('eurotext.tif')}"]`).check();
    await page.getByTestId('create-document').click();
    await editor().waitFor();
    expect(await revision()).toBe(1);
    expect((await pageOrder()).sort()).toEqual([id('phototest.tif'), id('eurotext.tif')].sort());
  });

  it('names a bad date beside the field, then saves the metadata with a case number and a Serbian name', async () => {
    await editor().getByTestId('metadata-title').fill('Raport i autopsisë — phototest');
    await editor().getByTestId('metadata-caseNumber').fill(CASE_NUMBER);
    await editor().getByTestId('metadata-documentType').fill('Autopsy report');
    await editor().getByTestId('metadata-date').fill('2019-13-02');
    await editor().getByTestId('metadata-institution').fill('Instituti i Mjekësisë Ligjore');
    await editor().getByTestId('metadata-persons').fill(`${PERSON}\nAgim Gashi`);
    await editor().getByTestId('metadata-sensitivity').selectOption('restricted');
    await editor().getByTestId('metadata-tags').fill('autopsy, e2e');
    await editor().getByTestId('metadata-save').click();
    await expect.poll(() => editor().getByTestId('metadata-error-date').textContent()).toContain('YYYY-MM-DD');
    expect(await revision()).toBe(1);
    await editor().getByTestId('metadata-date').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'documents-metadata-error.png'), fullPage: true });

    await editor().getByTestId('metadata-date').fill('2019-04-12');
    await editor().getByTestId('metadata-save').click();
    await expect.poll(revision).toBe(2);
    expect(await editor().getByTestId('document-notice').textContent()).toBe('Metadata saved.');
    expect(await editor().getByTestId('metadata-error-date').count()).toBe(0);
    // The document's fields reach the search index through the sync: both pages are found by the case number.
    await page.getByTestId('search-input').fill(CASE_NUMBER);
    await expect.poll(() => page.getByTestId('search-result').count(), { timeout: 15_000 }).toBe(2);
  });

  it('reorders and turns pages, each change a revision in the history', async () => {
    const [first, second] = await pageOrder();
    await editor().getByTestId('page-move-down').first().click();
    await expect.poll(pageOrder).toEqual([second, first]);
    expect(await revision()).toBe(3);
    await editor().getByTestId('page-rotate').first().click();
    await expect.poll(() => editor().getByTestId('document-page').first().getAttribute('data-rotation')).toBe('90');
    expect(await revision()).toBe(4);
    await editor().getByTestId('document-history').locator('summary').click();
    expect(await editor().getByTestId('history-entry').evaluateAll((entries) => entries.map((entry) => entry.getAttribute('data-action')))).toEqual([
      'rotate',
      'reorder',
      'update-metadata',
      'create',
    ]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'documents-editor.png'), fullPage: true });
  });

  it('refuses an edit made on a stale revision as a conflict, and reloads the document', async () => {
    // A second window changes the document behind the first one's back.
    const other = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    try {
      await other.goto(host.url);
      await other.getByTestId('document-item').first().click();
      await other.getByTestId('document-editor').waitFor();
      await other.getByTestId('page-rotate').last().click();
      await expect.poll(async () => Number(await other.getByTestId('document-editor').getAttribute('data-revision'))).toBe(5);
    } finally {
      await other.close();
    }
    expect(await revision()).toBe(4);
    await editor().getByTestId('page-move-down').first().click();
    const conflict = editor().getByTestId('document-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('changed elsewhere');
    expect(await conflict.textContent()).toContain('now at revision 5');
    expect(await conflict.isVisible()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'documents-conflict.png'), fullPage: true });
    await editor().getByTestId('document-reload').first().click();
    await expect.poll(revision).toBe(5);
    expect(await editor().getByTestId('document-conflict').count()).toBe(0);
    expect(await editor().getByTestId('document-page').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-rotation')))).toEqual(['90', '90']);
  });

  it('exports the searchable PDF/A as a download whose text layer holds the OCR words', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), editor().getByTestId('document-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^2019-0457-IML-[0-9a-f]{8}\.pdf$/);
    const file = path.join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const { stdout } = await run('pdftotext', [file, '-']);
    expect(stdout.toLowerCase()).toMatch(/\b(quick|brown|lazy)\b/);
    await expect.poll(() => editor().getByTestId('document-notice').textContent()).toBe(`Saved as ${download.suggestedFilename()}.`);
  });

  it('checks the archive and finds it intact', async () => {
    const panel = page.getByTestId('maintenance-panel');
    await panel.locator('summary').click();
    await panel.getByTestId('check-fixity').click();
    await expect.poll(() => panel.getByTestId('fixity-result').getAttribute('data-state'), { timeout: 60_000 }).toBe('intact');
    expect(await panel.getByTestId('fixity-result').textContent()).toContain('document revisions: 5');
  });

  it('rebuilds an emptied catalog and index from the archive, and finds the pages again by their case number', async () => {
    // Empty the catalog behind the app's back, as a lost or damaged cache would be.
    await page.evaluate(
      (stores) =>
        new Promise<void>((resolve, reject) => {
          const request = indexedDB.open('arkiva-catalog');
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const db = request.result;
            const transaction = db.transaction(stores, 'readwrite');
            for (const store of stores) transaction.objectStore(store).clear();
            transaction.oncomplete = () => {
              db.close();
              resolve();
            };
            transaction.onerror = () => reject(transaction.error);
          };
        }),
      ['pages', 'documents', 'persons'],
    );
    expect(await catalogCounts(page)).toEqual({ pages: 0, documents: 0, persons: 0 });

    const panel = page.getByTestId('maintenance-panel');
    await panel.getByTestId('rebuild-caches').click();
    const result = panel.getByTestId('rebuild-result');
    await expect.poll(() => result.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(await result.getAttribute('data-pages')).toBe('2');
    expect(await result.getAttribute('data-documents')).toBe('1');
    expect(await result.textContent()).toContain('pages: 2, documents: 1');
    expect(await catalogCounts(page)).toEqual({ pages: 2, documents: 1, persons: 2 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'documents-rebuilt.png'), fullPage: true });

    await page.getByTestId('search-input').fill(CASE_NUMBER);
    await expect.poll(() => page.getByTestId('search-result').count(), { timeout: 15_000 }).toBe(2);
    const found = await page.getByTestId('search-result').evaluateAll((items) => items.map((item) => item.getAttribute('data-page-id') ?? ''));
    expect(found.sort()).toEqual([id('phototest.tif'), id('eurotext.tif')].sort());
    expect(await page.getByTestId('search-group').first().textContent()).toContain(CASE_NUMBER);
    // The person, typed in Latin, is found from Cyrillic too.
    await page.getByTestId('search-input').fill('Живковић');
    await expect.poll(() => page.getByTestId('search-result').count(), { timeout: 15_000 }).toBe(2);
    await page.getByTestId('search-input').fill(CASE_NUMBER);
    await expect.poll(() => page.getByTestId('search-result').count(), { timeout: 15_000 }).toBe(2);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'documents-rebuilt-search.png'), fullPage: true });
  });

  it('ran without errors in the page or the problems banner', async () => {
    expect(pageErrors).toEqual([]);
    expect(await page.getByTestId('error-banner').count()).toBe(0);
  });
});
