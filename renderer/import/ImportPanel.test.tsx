import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/translate';
import { renderStatic } from '../test-support/render';
import { ImportPanel, importStateText } from './ImportPanel';

describe('ImportPanel', () => {
  it('offers import-input: a file input for several PNG, JPEG, TIFF or PDF files', () => {
    const [input] = renderStatic(<ImportPanel />).byTestId('import-input');
    expect(input?.tag).toBe('input');
    expect(input?.attributes['type']).toBe('file');
    expect(input?.attributes).toHaveProperty('multiple');
    expect(input?.attributes['accept']).toBe('image/png,image/jpeg,image/tiff,application/pdf');
  });
});

describe('importStateText', () => {
  const t = createTranslator('en');

  it('says for each file where it stands, and why it failed', () => {
    expect(importStateText({ phase: 'reading' }, t)).toBe('Reading file…');
    expect(importStateText({ phase: 'stored', pages: [] }, t)).toBe('Stored');
    expect(importStateText({ phase: 'failed', error: { code: 'payload-too-large', message: 'Over 64 MB' } }, t)).toBe(
      'Failed: The file is too large — Over 64 MB',
    );
  });
});
