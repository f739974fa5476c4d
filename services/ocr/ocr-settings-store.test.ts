import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OcrSettings } from '../../common/api/contract';
import { OcrSettingsStore } from './ocr-settings-store';

const defaults: OcrSettings = { languages: 'eng', cyrillicLanguages: 'srp', workers: 2, reviewBelowConfidence: 70 };
const installed = () => ['eng', 'sqi', 'srp', 'srp_latn'];

describe('OcrSettingsStore', () => {
  let dir = '';
  let file = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'arkiva-ocr-settings-'));
    file = path.join(dir, 'settings', 'ocr.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts from the defaults, and what is saved wins over them at the next start', async () => {
    const store = await OcrSettingsStore.open(file, defaults, installed);
    expect(store.current).toEqual(defaults);
    expect(await store.update({ languages: 'sqi+eng', workers: 1 })).toEqual({ ...defaults, languages: 'sqi+eng', workers: 1 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ...defaults, languages: 'sqi+eng', workers: 1 });
    const reopened = await OcrSettingsStore.open(file, { ...defaults, reviewBelowConfidence: 50 }, installed);
    expect(reopened.current).toEqual({ ...defaults, languages: 'sqi+eng', workers: 1 });
  });

  it('refuses languages whose model is not installed, and keeps the settings it had', async () => {
    const store = await OcrSettingsStore.open(file, defaults, installed);
    await expect(store.update({ cyrillicLanguages: 'rus' })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('No OCR model for rus') });
    expect(store.current).toEqual(defaults);
  });

  it('uses the defaults when the saved file is damaged, says so, and leaves the file for a person to look at', async () => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"languages": "eng", "workers": "many"');
    const complaints = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect((await OcrSettingsStore.open(file, defaults, installed)).current).toEqual(defaults);
      writeFileSync(file, '{"workers": 0}');
      expect((await OcrSettingsStore.open(file, defaults, installed)).current).toEqual(defaults);
      expect(complaints.mock.calls.map(([message]) => String(message))).toEqual([
        expect.stringMatching(/cannot be read.*using the defaults/),
        expect.stringMatching(/not valid.*using the defaults/),
      ]);
      expect(readFileSync(file, 'utf8')).toBe('{"workers": 0}');
    } finally {
      complaints.mockRestore();
    }
  });
});
