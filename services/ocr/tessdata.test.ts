import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import {
  availableLanguages,
  findTessdataDir,
  MIN_MODEL_BYTES,
  PACKAGED_TESSDATA_ENV,
  parseLanguages,
  requireLanguages,
  SYSTEM_TESSDATA_DIRS,
} from './tessdata';

function apiErrorOf(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError, but nothing was thrown');
}

describe('tessdata', () => {
  let dir = '';
  const model = (name: string, bytes: number) => writeFileSync(path.join(dir, name), Buffer.alloc(bytes, 1));

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'arkiva-tessdata-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('findTessdataDir', () => {
    it('uses ARKIVA_TESSDATA when it is set', () => {
      expect(findTessdataDir({ ARKIVA_TESSDATA: dir })).toBe(dir);
    });

    it('reports an ARKIVA_TESSDATA that is not a folder rather than looking elsewhere', () => {
      const missing = path.join(dir, 'nowhere');
      const error = apiErrorOf(() => findTessdataDir({ ARKIVA_TESSDATA: missing }));
      expect(error.code).toBe('unavailable');
      expect(error.message).toContain(missing);
    });

    it('prefers the packaged app\'s own models to the system folders', () => {
      expect(findTessdataDir({ [PACKAGED_TESSDATA_ENV]: dir })).toBe(dir);
    });

    it('lets ARKIVA_TESSDATA override the packaged models', () => {
      const own = path.join(dir, 'own');
      mkdirSync(own);
      expect(findTessdataDir({ ARKIVA_TESSDATA: own, [PACKAGED_TESSDATA_ENV]: dir })).toBe(own);
    });

    it('falls back to the system folders when the packaged folder is missing, and names it if nothing is found', () => {
      const missing = path.join(dir, 'resources', 'tessdata');
      const expected = SYSTEM_TESSDATA_DIRS.find((candidate) => existsSync(candidate));
      if (expected) expect(findTessdataDir({ [PACKAGED_TESSDATA_ENV]: missing })).toBe(expected);
      else expect(apiErrorOf(() => findTessdataDir({ [PACKAGED_TESSDATA_ENV]: missing })).message).toContain(missing);
    });

    it('otherwise uses the first system folder that exists', () => {
      const expected = SYSTEM_TESSDATA_DIRS.find((candidate) => existsSync(candidate));
      if (expected) expect(findTessdataDir({})).toBe(expected);
      else expect(apiErrorOf(() => findTessdataDir({})).message).toMatch(/apt-get install tesseract-ocr-eng/);
    });
  });

  describe('availableLanguages', () => {
    it('lists the recognition models that look complete, sorted, and nothing else', () => {
      model('sqi.traineddata', MIN_MODEL_BYTES);
      model('eng.traineddata', MIN_MODEL_BYTES * 2);
      model('srp.traineddata', MIN_MODEL_BYTES - 1);
      model('osd.traineddata', MIN_MODEL_BYTES);
      model('eng.traineddata.gz', MIN_MODEL_BYTES);
      model('notes.txt', 10);
      mkdirSync(path.join(dir, 'deu.traineddata'));
      expect(availableLanguages(dir)).toEqual(['eng', 'sqi']);
    });

    it('is empty for a folder that does not exist', () => {
      expect(availableLanguages(path.join(dir, 'nowhere'))).toEqual([]);
    });
  });

  describe('requireLanguages', () => {
    it('returns the codes of a language string, primary first', () => {
      model('srp_latn.traineddata', MIN_MODEL_BYTES);
      model('eng.traineddata', MIN_MODEL_BYTES);
      expect(requireLanguages(dir, 'srp_latn+eng')).toEqual(['srp_latn', 'eng']);
    });

    it('names each missing language and the Debian package that installs it', () => {
      model('eng.traineddata', MIN_MODEL_BYTES);
      const error = apiErrorOf(() => requireLanguages(dir, 'eng+srp_latn+sqi'));
      expect(error.code).toBe('unavailable');
      expect(error.message).toContain('"srp_latn"');
      expect(error.message).toContain('apt-get install tesseract-ocr-srp-latn');
      expect(error.message).toContain('"sqi"');
      expect(error.message).not.toContain('"eng"');
    });

    it('rejects a model file too small to be real', () => {
      model('sqi.traineddata', 130);
      const error = apiErrorOf(() => requireLanguages(dir, 'sqi'));
      expect(error.code).toBe('unavailable');
      expect(error.message).toMatch(/"sqi".*only 130 bytes/);
    });
  });

  describe('parseLanguages', () => {
    it.each(['', 'eng+', '+eng', ' eng', '../eng', 'eng/../../x', 'eng sqi', 'osd'])('refuses %j as a bad request', (languages) => {
      expect(apiErrorOf(() => parseLanguages(languages)).code).toBe('bad-request');
    });
  });
});
