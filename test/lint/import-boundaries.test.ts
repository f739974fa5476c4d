import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: root });

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const RESTRICTED_IMPORT = 'no-restricted-imports';
const RESTRICTED_PATH = 'import-x/no-restricted-paths';
const RESTRICTED_SYNTAX = 'no-restricted-syntax';
const BOUNDARY_RULES = [RESTRICTED_IMPORT, RESTRICTED_PATH, RESTRICTED_SYNTAX];

describe('process boundaries are enforced by lint', () => {
  describe.each([
    [
      'renderer/',
      [
        ['renderer/x.ts', "import { readFile } from 'node:fs/promises';", RESTRICTED_IMPORT, 'a Node built-in'],
        ['renderer/x.ts', "import { spawn } from 'child_process';", RESTRICTED_IMPORT, 'a bare Node built-in'],
        ['renderer/x.ts', "import { join } from 'path/posix';", RESTRICTED_IMPORT, 'a bare Node built-in by its subpath'],
        ['renderer/x.ts', "import { ipcRenderer } from 'electron';", RESTRICTED_IMPORT, 'electron'],
        ['renderer/x.ts', "import { ipcRenderer } from 'electron/renderer';", RESTRICTED_IMPORT, 'an electron subpath'],
        ['renderer/x.ts', "import { ArchiveStore } from '../services/archive/archive-store';", RESTRICTED_PATH, 'services code'],
        ['renderer/x.ts', "import { SaneDriver } from '../scanner-drivers/sane/sane-driver';", RESTRICTED_PATH, 'driver code'],
        ['renderer/x.ts', "import '../workers/ocr/tesseract.worker';", RESTRICTED_PATH, 'worker code'],
        ['renderer/x.ts', "import '../electron/preload/preload';", RESTRICTED_PATH, 'shell code'],
        ['renderer/x.ts', "export const fs = await import('node:fs');", RESTRICTED_SYNTAX, 'a dynamic import of a Node built-in'],
        ['renderer/x.ts', 'export const fs = await import(`fs`);', RESTRICTED_SYNTAX, 'a dynamic import of a bare built-in, as a template'],
        ['renderer/x.ts', "export const e = await import('electron/renderer');", RESTRICTED_SYNTAX, 'a dynamic import of electron'],
      ],
    ],
    [
      'services/',
      [
        ['services/x.ts', "import { app } from 'electron';", RESTRICTED_IMPORT, 'electron'],
        ['services/x.ts', "import { app } from 'electron/main';", RESTRICTED_IMPORT, 'an electron subpath'],
        ['services/x.ts', "export const e = await import('electron');", RESTRICTED_SYNTAX, 'a dynamic import of electron'],
        ['services/x.ts', "import { connectApi } from '../renderer/api/connect';", RESTRICTED_PATH, 'renderer code'],
        ['services/x.ts', "import '../workers/ocr/tesseract.worker';", RESTRICTED_PATH, 'worker code (started by path)'],
        ['services/x.ts', "import { windowOptions } from '../electron/main/window-options';", RESTRICTED_PATH, 'shell code'],
      ],
    ],
    [
      'scanner-drivers/',
      [
        ['scanner-drivers/x.ts', "import { BrowserWindow } from 'electron';", RESTRICTED_IMPORT, 'electron'],
        ['scanner-drivers/x.ts', "import { EventBus } from '../services/api/event-bus';", RESTRICTED_PATH, 'services code'],
        ['scanner-drivers/x.ts', "import { connectApi } from '../renderer/api/connect';", RESTRICTED_PATH, 'renderer code'],
        ['scanner-drivers/x.ts', "import '../workers/ocr/tesseract.worker';", RESTRICTED_PATH, 'worker code'],
      ],
    ],
    [
      'workers/',
      [
        ['workers/x.ts', "import { app } from 'electron';", RESTRICTED_IMPORT, 'electron'],
        ['workers/x.ts', "import { app } from 'electron/main';", RESTRICTED_IMPORT, 'an electron subpath'],
        ['workers/x.ts', "const electron = require('electron');\nexport default electron;", RESTRICTED_SYNTAX, 'electron by require()'],
        ['workers/x.ts', "import { connectApi } from '../renderer/api/connect';", RESTRICTED_PATH, 'renderer code'],
        ['workers/x.ts', "import { EventBus } from '../services/api/event-bus';", RESTRICTED_PATH, 'services code'],
        ['workers/x.ts', "import { SaneDriver } from '../scanner-drivers/sane/sane-driver';", RESTRICTED_PATH, 'driver code'],
      ],
    ],
    [
      'common/',
      [
        ['common/x.ts', "import os from 'node:os';", RESTRICTED_IMPORT, 'a Node built-in'],
        ['common/x.ts', "import { app } from 'electron';", RESTRICTED_IMPORT, 'electron'],
        ['common/x.ts', "import { app } from 'electron/main';", RESTRICTED_IMPORT, 'an electron subpath'],
        ['common/x.ts', "export const os = await import('node:os');", RESTRICTED_SYNTAX, 'a dynamic import of a Node built-in'],
        ['common/x.ts', "import { EventBus } from '../services/api/event-bus';", RESTRICTED_PATH, 'services code'],
        ['common/x.ts', "import { connectApi } from '../renderer/api/connect';", RESTRICTED_PATH, 'renderer code'],
      ],
    ],
    [
      'electron/preload/',
      [
        ['electron/preload/x.ts', "import fs from 'node:fs';", RESTRICTED_IMPORT, 'a Node built-in'],
        ['electron/preload/x.ts', "const fs = require('fs');\nexport default fs;", RESTRICTED_SYNTAX, 'a Node built-in by require()'],
        ['electron/preload/x.ts', "import { app } from 'electron/main';", RESTRICTED_IMPORT, "the main process's electron module"],
        ['electron/preload/x.ts', "import { ArchiveStore } from '../../services/archive/archive-store';", RESTRICTED_PATH, 'services code'],
        ['electron/preload/x.ts', "import { windowOptions } from '../main/window-options';", RESTRICTED_PATH, 'main-process code'],
        ['electron/preload/x.ts', "import { connectApi } from '../../renderer/api/connect';", RESTRICTED_PATH, 'renderer code'],
      ],
    ],
    [
      'electron/main/',
      [
        ['electron/main/x.ts', "import { connectApi } from '../../renderer/api/connect';", RESTRICTED_PATH, 'renderer code'],
        ['electron/main/x.ts', "import '../preload/preload';", RESTRICTED_PATH, 'preload code (loaded by the window)'],
        ['electron/main/x.ts', "import '../../workers/ocr/tesseract.worker';", RESTRICTED_PATH, 'worker code (started by path)'],
      ],
    ],
    [
      'every other folder (only electron/ imports electron)',
      [
        ['bench/x.ts', "import { app } from 'electron';", RESTRICTED_IMPORT, 'electron in a benchmark'],
        ['build/x.ts', "import { app } from 'electron/main';", RESTRICTED_IMPORT, 'electron in a build script'],
        ['test/x.ts', "export const e = await import('electron');", RESTRICTED_SYNTAX, 'electron in a test'],
        ['some-new-folder/x.mjs', "import { app } from 'electron';", RESTRICTED_IMPORT, 'electron in a folder no rule names'],
      ],
    ],
  ])('%s', (_zone, cases) => {
    it.each(cases)('%s: %s is refused (%s)', async (file, code, rule) => {
      expect(await violations(file, `${code}\n`)).toContain(rule);
    });
  });

  it.each([
    ['electron/main/x.ts', "import { app } from 'electron';\nimport { startAppServices } from '../../services/app-services';"],
    ['electron/main/x.ts', "import { app } from 'electron/main';\nimport path from 'node:path';"],
    ['electron/preload/x.ts', "import { contextBridge } from 'electron';\nimport { createBridge } from '../../common/api/bridge';"],
    ['electron/preload/x.ts', "import { ipcRenderer } from 'electron/renderer';"],
    ['services/x.ts', "import { readFile } from 'node:fs/promises';\nimport { methods } from '../common/api/contract';"],
    ['services/x.ts', "export const { readFile } = await import('node:fs/promises');"],
    ['services/x.ts', "import { build } from 'electron-builder';"],
    ['renderer/x.ts', "import { createApiClient } from '../common/api/client';"],
    ['renderer/x.ts', "export const page = await import('./pages/page-view');"],
    ['test/x.ts', "import { _electron } from 'playwright-core';\nimport { ArchiveStore } from '../services/archive/archive-store';"],
  ])('%s may do what its process needs', async (file, code) => {
    const found = await violations(file, `${code}\n`);
    expect(found.filter((rule) => BOUNDARY_RULES.includes(rule))).toEqual([]);
  });
});
