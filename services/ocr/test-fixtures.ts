import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import zlib, { crc32 } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKER_SCRIPT } from './worker-script';

/** Test support for the OCR and CLI tests: the project folder, the shared fixtures, the built worker. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Scanned pages with their ground truth, shared by the unit and end-to-end suites (outside the repository). */
export const OCR_FIXTURES = path.resolve(PROJECT_ROOT, '../shared/fixtures/ocr');

export const fixturePath = (name: string) => path.join(OCR_FIXTURES, name);
export const readFixture = (name: string) => readFileSync(fixturePath(name));
export const groundTruth = (image: string) => readFileSync(fixturePath(image.replace(/\.\w+$/, '.txt')), 'utf8');

/** Fails with what to do, rather than with a worker that cannot be found. */
export function requireBuiltWorker(): void {
  if (!existsSync(path.join(PROJECT_ROOT, WORKER_SCRIPT))) {
    throw new Error(`${WORKER_SCRIPT} is missing: run \`npm run build\` before the OCR tests (npm test does).`);
  }
}

/**
 * Builds workers/ocr/test-support/misbehaving.worker.ts (our worker plus a hang and a crash on
 * request) into a private folder inside the project, where it still finds tesseract.js, and
 * returns its path. The caller removes the folder.
 */
export async function buildMisbehavingWorker(): Promise<{ script: string; dir: string }> {
  const { build } = await import('esbuild');
  const cache = path.join(PROJECT_ROOT, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, 'arkiva-test-worker-'));
  const script = path.join(dir, 'misbehaving.worker.mjs');
  await build({
    entryPoints: [path.join(PROJECT_ROOT, 'workers/ocr/test-support/misbehaving.worker.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __arkivaCreateRequire } from 'node:module'; const require = __arkivaCreateRequire(import.meta.url);" },
  });
  return { script, dir };
}

/** A real 8-bit grey PNG of `width` × `height` white pixels, written row by row (sharp refuses to create one this large). */
export function whitePng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8 bits, greyscale, deflate, no filter, no interlace
  // Each row: filter byte 0 (none), then white pixels.
  const raw = Buffer.alloc((width + 1) * height, 255);
  for (let y = 0; y < height; y += 1) raw[y * (width + 1)] = 0;
  const stream = zlib.deflateSync(raw, { level: 1 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', stream),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
