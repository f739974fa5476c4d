/**
 * `npm start`: builds the app, then runs it in Electron where its binary exists (and a display is
 * available), otherwise on the local host, saying which and where.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildAll } from './build';
import { electronBinary, repoRoot } from './electron-binary';

await buildAll();
const electron = electronBinary();
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

if (electron && hasDisplay) {
  console.log(`Starting Arkiva in Electron (${electron})`);
  const child = spawn(electron, [path.join(repoRoot, 'dist/electron/main.mjs')], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  const why = electron ? 'no display for a window' : 'the Electron binary is not installed';
  console.log(`Starting Arkiva on the local host (${why}).`);
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist/node/local-host.mjs'), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 1));
}
