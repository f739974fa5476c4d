// The window's options, apart from main.ts so a spec can hold them to the hardening they promise
// without starting Electron. Written out in full, defaults included: a default that changes between
// Electron versions must not change what the page may do.
import type { BrowserWindowConstructorOptions } from 'electron';

export function windowOptions(preloadPath: string) {
  return {
    width: 1400,
    height: 900,
    title: 'Arkiva',
    webPreferences: {
      preload: preloadPath,
      // The page and the preload live in separate JavaScript worlds; the page sees only the bridge.
      contextIsolation: true,
      // The preload runs in Chromium's OS sandbox, with no Node.
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  } satisfies BrowserWindowConstructorOptions;
}
