// Entry point of the local host: `node dist/node/local-host.mjs [--port N] [--archive DIR]`.
// Runs the services and serves the renderer on 127.0.0.1 for browsers (and for machines without Electron).
import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAppServices } from '../app-services';
import { startLocalHost } from './local-host';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.ARKIVA_PORT ?? '0' },
    archive: { type: 'string', default: process.env.ARKIVA_ARCHIVE_DIR ?? defaultArchiveDir() },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(2);
}

const services = await startAppServices({ host: 'local', archiveDir: values.archive });
const host = await startLocalHost({
  dispatch: services.dispatch,
  bus: services.bus,
  staticDir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'renderer'),
  port,
});
console.log(`Arkiva local host: archive ${values.archive}`);
console.log(`Open ${host.url}`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping: finishing OCR in progress...');
    void host.close().then(() => services.close()).then(() => process.exit(0));
  });
}

function defaultArchiveDir(): string {
  const dataHome = process.env.XDG_DATA_HOME ?? path.join(homedir(), '.local', 'share');
  return path.join(dataHome, 'arkiva', 'archive');
}
