// Opens the real Electron app where its binary is installed. Our development machines and CI cannot
// download it, so there this suite says plainly that it skipped, and why.
import path from 'node:path';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { electronBinary, repoRoot } from '../../build/electron-binary';
import { sandboxArgs } from '../../build/electron-launch';

const SCREENSHOTS = path.join(repoRoot, 'test-results', 'e2e');

const binary = electronBinary();
if (!binary) {
  console.log(
    'SKIPPED electron smoke test: the Electron binary is not installed (node_modules/electron/dist is missing; ' +
      'run `npx install-electron` on a machine with network access to enable it).',
  );
}

describe.skipIf(!binary)('Electron shell', () => {
  it('opens the window with the sandboxed preload and reaches the services over IPC', async () => {
    const archiveDir = await mkdtemp(path.join(tmpdir(), 'arkiva-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      // Chromium's sandbox cannot run as root (CI is root); everywhere else the test keeps it on.
      args: [path.join(repoRoot, 'dist', 'electron', 'main.mjs'), ...sandboxArgs(process.getuid?.())],
      env: { ...process.env, ARKIVA_ARCHIVE_DIR: archiveDir },
    });
    try {
      const window = await app.firstWindow();
      await expect.poll(() => window.getByTestId('host-badge').textContent()).toMatch(/electron/i);
      // The page sees the bridge but no Node.
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      expect(await window.evaluate(() => Object.keys((globalThis as unknown as { arkivaBridge: object }).arkivaBridge))).toEqual([
        'invoke',
        'events',
      ]);
      await mkdir(SCREENSHOTS, { recursive: true });
      await window.screenshot({ path: path.join(SCREENSHOTS, 'electron-smoke.png'), fullPage: true });
    } finally {
      await app.close();
      await rm(archiveDir, { recursive: true, force: true });
    }
  });
});
