import { describe, expect, it } from 'vitest';
import { windowOptions } from './window-options';

describe('the Arkiva window', () => {
  const { webPreferences } = windowOptions('/opt/arkiva/dist/electron/preload.cjs');

  it('isolates the page from the preload and both from Node, written out explicitly', () => {
    expect(webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
    });
  });

  it('keeps web security on and embedded guests off', () => {
    expect(webPreferences).toMatchObject({ webSecurity: true, allowRunningInsecureContent: false, webviewTag: false });
  });

  it('loads the given preload', () => {
    expect(webPreferences.preload).toBe('/opt/arkiva/dist/electron/preload.cjs');
  });
});
