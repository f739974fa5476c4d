// The Electron main process: a thin shell. It opens the window, starts the same services the local
// host runs, and wires each contract method to its own IPC channel. All logic lives in services/.
import { app, BrowserWindow, ipcMain, safeStorage, shell, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { eventNames, methodNames } from '../../common/api/contract';
import { ipcEventChannel, ipcMethodChannel } from '../../common/api/bridge';
import { ApiError } from '../../common/api/errors';
import { MAX_REQUEST_BYTES } from '../../common/api/wire';
import { failure } from '../../services/api/dispatcher';
import { startAppServices } from '../../services/app-services';
import { osKeychainProtector } from '../../services/signing/os-keychain-protector';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '..', 'renderer', 'index.html');
const rendererUrlPrefix = pathToFileURL(path.dirname(rendererIndex)).href;

async function main(): Promise<void> {
  await app.whenReady();
  const services = await startAppServices({
    host: 'electron',
    archiveDir: process.env.ARKIVA_ARCHIVE_DIR ?? path.join(app.getPath('userData'), 'archive'),
    // The workstation key that signs the audit trail is sealed by the OS keychain where there is one;
    // without it the services fall back to a passphrase or a protected local secret.
    ...(safeStorage.isEncryptionAvailable() ? { workstationProtector: osKeychainProtector(safeStorage) } : {}),
  });

  for (const method of methodNames) {
    ipcMain.handle(ipcMethodChannel(method), async (event: IpcMainInvokeEvent, input: unknown) => {
      // Only our own page may call the services, even if something navigates a frame elsewhere.
      if (!event.senderFrame?.url.startsWith(rendererUrlPrefix)) {
        return failure(new ApiError('unauthorized', 'Calls are accepted only from the Arkiva window.'));
      }
      const size = Buffer.byteLength(JSON.stringify(input ?? null));
      if (size > MAX_REQUEST_BYTES) {
        return failure(new ApiError('payload-too-large', `Request of ${size} bytes exceeds the limit of ${MAX_REQUEST_BYTES}.`));
      }
      return services.dispatch(method, input);
    });
  }

  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'Arkiva',
    webPreferences: {
      preload: path.join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const unsubscribe = services.bus.subscribe((event, payload) => {
    if (!window.isDestroyed() && eventNames.includes(event)) window.webContents.send(ipcEventChannel(event), payload);
  });
  // The window shows our page and nothing else; links open in the system browser.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.on('closed', unsubscribe);
  await window.loadFile(rendererIndex);

  app.on('window-all-closed', () => {
    void services.close().finally(() => app.quit());
  });
}

main().catch((error: unknown) => {
  console.error('Arkiva failed to start:', error);
  app.exit(1);
});
