import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { locateWorkerScript, outsideAsar, WORKER_SCRIPT } from './worker-script';

describe('locateWorkerScript', () => {
  let root = '';
  const write = (relative: string, content: string) => {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), content);
  };
  // Where this code sits once bundled, below a package of another name (as in node_modules).
  const bundledCli = () => pathToFileURL(path.join(root, 'dist/node/nested/arkiva.mjs')).href;

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'arkiva-root-'));
    write('package.json', JSON.stringify({ name: 'arkiva' }));
    write('dist/node/nested/package.json', JSON.stringify({ name: 'something-else' }));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the built worker below the folder whose package.json is named arkiva', () => {
    write(WORKER_SCRIPT, '');
    expect(locateWorkerScript(bundledCli())).toBe(path.join(root, WORKER_SCRIPT));
  });

  it('says to run the build when the worker is not built', () => {
    const error = (() => {
      try {
        locateWorkerScript(bundledCli());
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringContaining('npm run build') });
  });

  it('fails clearly outside the project', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'arkiva-outside-'));
    try {
      expect(() => locateWorkerScript(path.join(outside, 'arkiva.mjs'))).toThrow(/package\.json named "arkiva"/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('outsideAsar', () => {
  it('takes a script inside a packaged app.asar from the unpacked folder beside it, since threads cannot start inside an archive', () => {
    const packaged = path.join(path.sep, 'opt', 'Arkiva', 'resources', 'app.asar', WORKER_SCRIPT);
    expect(outsideAsar(packaged)).toBe(path.join(path.sep, 'opt', 'Arkiva', 'resources', 'app.asar.unpacked', WORKER_SCRIPT));
  });

  it('leaves every other path alone, a folder merely named like the archive included', () => {
    const plain = path.join(path.sep, 'work', 'arkiva', WORKER_SCRIPT);
    expect(outsideAsar(plain)).toBe(plain);
    expect(outsideAsar(path.join(path.sep, 'x', 'app.asar.unpacked', 'w.mjs'))).toBe(path.join(path.sep, 'x', 'app.asar.unpacked', 'w.mjs'));
  });
});
