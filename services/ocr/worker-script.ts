import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../../common/api/errors';

const PACKAGE_NAME = 'arkiva';
export const WORKER_SCRIPT = path.join('dist', 'workers', 'tesseract.worker.mjs');

/**
 * The built OCR worker script. Worker threads are started by file path, and this code runs both
 * from source (tests, tsx) and bundled (dist/node, Electron), so the path is found from the
 * project root rather than from this file's own folder.
 */
export function locateWorkerScript(from: string = import.meta.url): string {
  const root = findProjectRoot(from.startsWith('file:') ? fileURLToPath(from) : from);
  if (!root) {
    throw new ApiError('unavailable', `Cannot find the Arkiva project folder (a package.json named "${PACKAGE_NAME}") above ${from}.`);
  }
  return requireWorkerScript(outsideAsar(path.join(root, WORKER_SCRIPT)));
}

/**
 * In a packaged app the code runs from `app.asar`, but a worker thread cannot be started from
 * inside an archive: electron-builder unpacks `dist/workers` beside it (`asarUnpack`), and the
 * script is taken from there.
 */
export function outsideAsar(file: string): string {
  const inside = `${path.sep}app.asar${path.sep}`;
  return file.includes(inside) ? file.replace(inside, `${path.sep}app.asar.unpacked${path.sep}`) : file;
}

/** Checked up front: Node reports a missing worker file as an 'error' event that would crash this process. */
export function requireWorkerScript(script: string): string {
  if (!existsSync(script)) {
    throw new ApiError('unavailable', `The OCR worker is not built (missing ${script}); run \`npm run build\`.`);
  }
  return script;
}

function findProjectRoot(start: string): string | undefined {
  for (let dir = path.dirname(start); ; dir = path.dirname(dir)) {
    if (isArkivaPackage(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function isArkivaPackage(file: string): boolean {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed && parsed.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}
