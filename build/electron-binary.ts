import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The Electron executable if it is installed, else undefined. Deliberately not `require('electron')`:
 * from Electron 42 on that starts a download when the binary is missing, and our machines have no
 * network for it.
 */
export function electronBinary(): string | undefined {
  const pkg = path.join(repoRoot, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkg, 'dist');
  const binary = path.join(distDir, relative);
  return existsSync(binary) ? binary : undefined;
}
