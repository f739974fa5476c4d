/**
 * `npm start`: builds the app, then runs it in Electron where its binary exists (and a display is
 * available), otherwise on the local host, saying which and where.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildAll } from './build';
import { electronBinary, repoRoot } from './electron-binary';
import { electronLaunch, type ElectronLaunch } from './electron-launch';

await buildAll();
const electron = electronBinary();
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

if (electron && hasDisplay) {
  let launch: ElectronLaunch;
  try {
    launch = electronLaunch({
      mainScript: path.join(repoRoot, 'dist/electron/main.mjs'),
      argv: process.argv.slice(2),
      env: process.env,
      uid: process.getuid?.(),
      cwd: process.cwd(),
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nUsage: npm start -- [--archive DIR] [--port N]`);
    process.exit(2);
  }
  console.log(`Starting Arkiva in Electron (${electron})`);
  for (const notice of launch.notices) console.log(notice);
  const child = spawn(electron, launch.args, { stdio: 'inherit', env: launch.env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
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
