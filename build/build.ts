/**
 * Builds everything that runs outside Vitest:
 *   dist/renderer/            the React app (Vite)
 *   dist/node/*.mjs           Node entry points: the `arkiva` CLI and the local host
 *   dist/workers/*.mjs        worker-thread entry points (started by path, so they must exist as files)
 *   dist/electron/main.mjs    Electron main process
 *   dist/electron/preload.cjs Electron preload (sandboxed preloads must be one CommonJS file)
 * npm packages stay external for Node targets: sharp and tesseract.js load native and wasm files
 * from their own package folders.
 */
import { build as esbuild, type BuildOptions } from 'esbuild';
import { build as viteBuild } from 'vite';
import { chmod, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = (p: string) => path.join(root, p);

const requireShim =
  "import { createRequire as __arkivaCreateRequire } from 'node:module'; const require = __arkivaCreateRequire(import.meta.url);";

const nodeTarget: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  // Bundled ESM still meets CommonJS packages that call require().
  banner: { js: requireShim },
};

export async function buildAll(): Promise<void> {
  await rm(from('dist'), { recursive: true, force: true });
  await Promise.all([
    esbuild({
      ...nodeTarget,
      entryPoints: { arkiva: from('services/cli/arkiva.ts') },
      outdir: from('dist/node'),
      outExtension: { '.js': '.mjs' },
      // The package's `bin`: runnable as a command once installed.
      banner: { js: `#!/usr/bin/env node\n${requireShim}` },
    }).then(() => chmod(from('dist/node/arkiva.mjs'), 0o755)),
    esbuild({
      ...nodeTarget,
      entryPoints: { 'local-host': from('services/local-host/main.ts') },
      outdir: from('dist/node'),
      outExtension: { '.js': '.mjs' },
    }),
    esbuild({
      ...nodeTarget,
      entryPoints: { 'tesseract.worker': from('workers/ocr/tesseract.worker.ts') },
      outdir: from('dist/workers'),
      outExtension: { '.js': '.mjs' },
    }),
    esbuild({
      ...nodeTarget,
      entryPoints: { main: from('electron/main/main.ts') },
      outdir: from('dist/electron'),
      outExtension: { '.js': '.mjs' },
    }),
    esbuild({
      entryPoints: { preload: from('electron/preload/preload.ts') },
      outdir: from('dist/electron'),
      outExtension: { '.js': '.cjs' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron'],
      logLevel: 'warning',
    }),
    viteBuild({ configFile: from('vite.config.ts'), logLevel: 'warn' }),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await buildAll();
  console.log('built dist/');
}
