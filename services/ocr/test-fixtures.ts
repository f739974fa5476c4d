import { existsSync, readFileSync } from 'node:fs';
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
