import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageRecord } from '../../common/api/contract';
import { startAppServices, type AppServices } from '../app-services';
import { fixturePath, requireBuiltWorker } from './test-fixtures';
import { callMethod } from '../../test/support/call-method';

// OCR settings and a clerk's re-OCR through the app's dispatcher, as either host calls them.

let services: AppServices;
let archiveDir: string;

beforeAll(async () => {
  requireBuiltWorker();
  process.env.ARKIVA_ESCL_DISCOVERY = 'off';
  archiveDir = await mkdtemp(path.join(tmpdir(), 'arkiva-ocr-api-'));
  services = await startAppServices({ host: 'local', archiveDir });
}, 60_000);
afterAll(async () => {
  await services?.close();
  await rm(archiveDir, { recursive: true, force: true });
});

const call = (method: string, input: unknown) => callMethod(services.dispatch, method, input);

async function importPhototest(): Promise<PageRecord> {
  const dataBase64 = (await readFile(fixturePath('phototest.tif'))).toString('base64');
  const { pages } = (await call('import.files', { files: [{ name: 'phototest.tif', dataBase64 }] })) as { pages: PageRecord[] };
  if (!pages[0]) throw new Error('nothing imported');
  return pages[0];
}

async function recognized(pageId: string): Promise<PageRecord> {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const { pages } = (await call('pages.list', {})) as { pages: PageRecord[] };
    const page = pages.find((listed) => listed.id === pageId);
    if (page && page.status !== 'pending-ocr') return page;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`page ${pageId} was not recognised`);
}

describe('OCR settings and re-OCR through the API', () => {
  it('shows the settings in force with the installed models, and applies a change to the next page', async () => {
    const before = (await call('ocr.getSettings', {})) as { settings: { languages: string; workers: number }; installedLanguages: string[]; cores: number };
    expect(before.installedLanguages).toEqual(expect.arrayContaining(['eng', 'sqi']));
    expect(before.settings.workers).toBeGreaterThanOrEqual(1);
    expect(before.cores).toBeGreaterThanOrEqual(1);

    const first = await recognized((await importPhototest()).id);
    expect(first.ocr?.languages).toBe(before.settings.languages);

    await call('ocr.updateSettings', { languages: 'sqi+eng', workers: 1 });
    expect(await call('ocr.getSettings', {})).toMatchObject({ settings: { languages: 'sqi+eng', workers: 1 } });
    expect(JSON.parse(await readFile(path.join(archiveDir, 'settings', 'ocr.json'), 'utf8'))).toMatchObject({ languages: 'sqi+eng', workers: 1 });
    // The same page again, now read with the new languages by a new engine.
    await call('pages.recognizeAgain', { pageId: first.id });
    const again = await recognized(first.id);
    expect(again.ocr).toMatchObject({ languages: 'sqi+eng', text: expect.stringContaining('quick brown dog') });
  }, 120_000);

  it('refuses languages that are not installed, and input the contract does not allow', async () => {
    await expect(call('ocr.updateSettings', { cyrillicLanguages: 'rus' })).rejects.toMatchObject({ code: 'unavailable' });
    await expect(call('ocr.updateSettings', { workers: 0 })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(call('ocr.updateSettings', { languages: 'eng;rm -rf' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(call('pages.recognizeAgain', { pageId: '0'.repeat(64) })).rejects.toMatchObject({ code: 'not-found' });
    await expect(call('pages.recognizeAgain', { pageId: '0'.repeat(64), languages: 'xyz' })).rejects.toMatchObject({ code: 'unavailable' });
  });
});
