// The Electron main process: a thin shell. It opens the window, starts the same services the local
// host runs, and wires each contract method to its own IPC channel. All logic lives in services/.
import { app, BrowserWindow, ipcMain, safeStorage, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventNames, methodNames } from '../../common/api/contract';
import { ipcEventChannel, ipcMethodChannel } from '../../common/api/bridge';
import { startAppServices } from '../../services/app-services';
import { workstationKeychainProtector } from '../../services/signing/os-keychain-protector';
import { PACKAGED_TESSDATA_ENV, PACKAGED_TESSDATA_FOLDER } from '../../services/ocr/tessdata';
import { guardedIpcHandler, rendererUrlPrefix } from './ipc-guard';
import { windowOptions } from './window-options';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '..', 'renderer', 'index.html');
const allowedSenderPrefix = rendererUrlPrefix(path.dirname(rendererIndex));

// Nothing the page could ask for (camera, notifications, geolocation, …) is needed, so nothing is granted.
function refuseAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

// Every web contents, the window's and any other, shows our page and nothing else: no navigation, no
// embedded <webview>, no new windows; https links open in the system browser.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

async function main(): Promise<void> {
  await app.whenReady();
  refuseAllPermissions();
  // The packaged app carries its OCR language data; services cannot ask Electron where, so they are told.
  if (app.isPackaged) process.env[PACKAGED_TESSDATA_ENV] ??= path.join(process.resourcesPath, PACKAGED_TESSDATA_FOLDER);
  // The workstation key that signs the audit trail is sealed by the OS keychain where there is a
  // real one (never Linux's basic_text store); otherwise the services fall back to a passphrase
  // or a protected local secret.
  const keychain = workstationKeychainProtector(safeStorage, process.platform);
  if ('refused' in keychain) console.error(`Arkiva: the OS keychain is not used for the workstation key: ${keychain.refused}; using ARKIVA_WORKSTATION_PASSPHRASE or a secret file readable only by this user instead.`);
  const services = await startAppServices({
    host: 'electron',
    archiveDir: process.env.ARKIVA_ARCHIVE_DIR ?? path.join(app.getPath('userData'), 'archive'),
    ...('protector' in keychain ? { workstationProtector: keychain.protector } : {}),
  });

  for (const method of methodNames) {
    ipcMain.handle(ipcMethodChannel(method), guardedIpcHandler(method, allowedSenderPrefix, services.dispatch));
  }

  const window = new BrowserWindow(windowOptions(path.join(here, 'preload.cjs')));
  const unsubscribe = services.bus.subscribe((event, payload) => {
    if (!window.isDestroyed() && eventNames.includes(event)) window.webContents.send(ipcEventChannel(event), payload);
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
