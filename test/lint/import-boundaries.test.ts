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

describe('process boundaries are enforced by lint', () => {
  it.each([
    ['renderer/x.ts', "import { readFile } from 'node:fs/promises';", RESTRICTED_IMPORT, 'a Node built-in in the renderer'],
    ['renderer/x.ts', "import { spawn } from 'child_process';", RESTRICTED_IMPORT, 'a bare Node built-in in the renderer'],
    ['renderer/x.ts', "import { ipcRenderer } from 'electron';", RESTRICTED_IMPORT, 'electron in the renderer'],
    ['renderer/x.ts', "import { ArchiveStore } from '../services/archive/archive-store';", RESTRICTED_PATH, 'services code in the renderer'],
    ['services/x.ts', "import { app } from 'electron';", RESTRICTED_IMPORT, 'electron in the services'],
    ['services/x.ts', "import { connectApi } from '../renderer/api/connect';", RESTRICTED_PATH, 'renderer code in the services'],
    ['scanner-drivers/x.ts', "import { BrowserWindow } from 'electron';", RESTRICTED_IMPORT, 'electron in a driver'],
    ['scanner-drivers/x.ts', "import { EventBus } from '../services/api/event-bus';", RESTRICTED_PATH, 'services code in a driver'],
    ['workers/x.ts', "import { app } from 'electron';", RESTRICTED_IMPORT, 'electron in a worker'],
    ['workers/x.ts', "import { connectApi } from '../renderer/api/connect';", RESTRICTED_PATH, 'renderer code in a worker'],
    ['common/x.ts', "import os from 'node:os';", RESTRICTED_IMPORT, 'a Node built-in in common'],
    ['common/x.ts', "import { EventBus } from '../services/api/event-bus';", RESTRICTED_PATH, 'services code in common'],
    ['electron/preload/x.ts', "import fs from 'node:fs';", RESTRICTED_IMPORT, 'a Node built-in in the sandboxed preload'],
    ['electron/preload/x.ts', "import { ArchiveStore } from '../../services/archive/archive-store';", RESTRICTED_PATH, 'services code in the preload'],
    ['electron/main/x.ts', "import { connectApi } from '../../renderer/api/connect';", RESTRICTED_PATH, 'renderer code in the main process'],
  ])('%s: %s is refused (%s)', async (file, code, rule) => {
    expect(await violations(file, `${code}\n`)).toContain(rule);
  });

  it.each([
    ['electron/main/x.ts', "import { app } from 'electron';\nimport { startAppServices } from '../../services/app-services';"],
    ['electron/preload/x.ts', "import { contextBridge } from 'electron';\nimport { createBridge } from '../../common/api/bridge';"],
    ['services/x.ts', "import { readFile } from 'node:fs/promises';\nimport { methods } from '../common/api/contract';"],
    ['renderer/x.ts', "import { createApiClient } from '../common/api/client';"],
  ])('%s may do what its process needs', async (file, code) => {
    const found = await violations(file, `${code}\n`);
    expect(found.filter((rule) => rule === RESTRICTED_IMPORT || rule === RESTRICTED_PATH)).toEqual([]);
  });
});
