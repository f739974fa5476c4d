// The packaging configuration against what the app loads at run time, so a package that installs
// but cannot start (a native addon inside app.asar, a missing entry point) fails here and not on a
// clerk's machine. Packaging itself needs a download and is not run in tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import config, { TESSDATA_SOURCE, UNPACKED_DIST, UNPACKED_PACKAGES } from '../../build/electron-builder.config';
import { repoRoot } from '../../build/electron-binary';
import { PACKAGED_TESSDATA_FOLDER } from '../../services/ocr/tessdata';
import { WORKER_SCRIPT } from '../../services/ocr/worker-script';

const packageJson = z
  .object({ main: z.string(), scripts: z.record(z.string(), z.string()), devDependencies: z.record(z.string(), z.string()) })
  .parse(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => path.join(dir, name));
}

function targetsOf(platform: { target?: unknown } | null | undefined): unknown {
  return platform?.target;
}

describe('electron-builder configuration', () => {
  it('packages the built app, whose entry point is package.json main', () => {
    expect(config.files).toContain('dist/**');
    expect(packageJson.main).toBe('dist/electron/main.mjs');
    expect(readFileSync(path.join(repoRoot, 'build', 'build.ts'), 'utf8')).toContain("outdir: from('dist/electron')");
  });

  it('unpacks the packages that load native addons or wasm by path, and each exists in node_modules', () => {
    for (const name of UNPACKED_PACKAGES) {
      expect(existsSync(path.join(repoRoot, 'node_modules', name)), name).toBe(true);
      expect(config.asarUnpack).toContain(`node_modules/${name}/**`);
    }
    const unpacked = UNPACKED_PACKAGES.flatMap((name) => filesUnder(path.join(repoRoot, 'node_modules', name)));
    expect(unpacked.some((file) => /sharp-[\w.-]+\.node$/.test(file)), 'sharp native addon').toBe(true);
    expect(unpacked.some((file) => /@napi-rs[\\/]canvas-[\w-]+[\\/][\w.-]+\.node$/.test(file)), 'canvas native addon').toBe(true);
    expect(unpacked.some((file) => /tesseract\.js-core[\\/]tesseract-core[\w-]*\.wasm$/.test(file)), 'tesseract wasm').toBe(true);
    expect(unpacked.some((file) => file.endsWith(path.join('tesseract.js', 'src', 'worker-script', 'node', 'index.js')))).toBe(true);
  });

  it('unpacks the worker threads, which are started by path', () => {
    expect(WORKER_SCRIPT.startsWith(`${path.normalize(UNPACKED_DIST)}${path.sep}`)).toBe(true);
    expect(config.asarUnpack).toContain(`${UNPACKED_DIST}/**`);
  });

  it('ships the OCR language models where the packaged app looks for them', () => {
    expect(config.extraResources).toEqual([{ from: TESSDATA_SOURCE, to: PACKAGED_TESSDATA_FOLDER, filter: ['*.traineddata'] }]);
  });

  it('builds a Debian package and an AppImage for Linux and an NSIS installer for Windows', () => {
    expect(targetsOf(config.linux)).toEqual(['deb', 'AppImage']);
    expect(targetsOf(config.win)).toEqual(['nsis']);
  });

  it('is what `npm run dist` uses, with electron-builder pinned', () => {
    expect(packageJson.scripts.dist).toMatch(/^npm run build && electron-builder --config build\/electron-builder\.config\.ts\b/);
    expect(packageJson.devDependencies['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
