// `npm start` and `npm test` both run setup; it must install only when the lock file changed,
// including when the install itself rewrote the lock.
import { writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setupNpm } from '../../build/setup.mjs';

let project = '';
const lock = () => path.join(project, 'package-lock.json');

beforeEach(async () => {
  project = await mkdtemp(path.join(tmpdir(), 'arkiva-setup-'));
  await writeFile(lock(), '{"lockfileVersion":3,"packages":{}}\n');
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});

afterEach(async () => {
  vi.restoreAllMocks();
  await rm(project, { recursive: true, force: true });
});

describe('npm setup', () => {
  it('installs once, then not again while the lock is unchanged', () => {
    const install = vi.fn();
    expect(setupNpm(project, install)).toBe(true);
    expect(setupNpm(project, install)).toBe(false);
    expect(install).toHaveBeenCalledOnce();
  });

  it('does not install again when the install itself rewrote the lock', async () => {
    // As npm install does here, adding other platforms' optional binaries to the lock.
    const install = vi.fn(() => void writeFileSync(lock(), '{"lockfileVersion":3,"packages":{"node_modules/x":{}}}\n'));
    expect(setupNpm(project, install)).toBe(true);
    expect(setupNpm(project, install)).toBe(false);
    expect(install).toHaveBeenCalledOnce();
    expect(await readFile(lock(), 'utf8')).toContain('node_modules/x');
  });

  it('installs again when the lock changes afterwards', async () => {
    const install = vi.fn();
    setupNpm(project, install);
    await writeFile(lock(), '{"lockfileVersion":3,"packages":{"node_modules/y":{}}}\n');
    expect(setupNpm(project, install)).toBe(true);
    expect(install).toHaveBeenCalledTimes(2);
  });
});
