import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../build/electron-binary';

export interface RunningLocalHost {
  url: string;
  archiveDir: string;
  output: () => string;
  stop(): Promise<void>;
}

export interface LocalHostOptions {
  /** Runs on the fresh archive folder before the host starts (keys, trust store, pages seeded from Node). */
  prepare?: (archiveDir: string) => Promise<void>;
}

/**
 * Starts the built local host (dist/node/local-host.mjs) as its own process, exactly as `npm start`
 * does, with a fresh archive and SANE's test backend enabled through SANE_CONFIG_DIR (never /etc).
 */
export async function startLocalHostProcess(options: LocalHostOptions = {}): Promise<RunningLocalHost> {
  const entry = path.join(repoRoot, 'dist', 'node', 'local-host.mjs');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run \`npm run build\` first.`);
  const work = await mkdtemp(path.join(tmpdir(), 'arkiva-e2e-'));
  const saneDir = path.join(work, 'sane.d');
  const archiveDir = path.join(work, 'archive');
  await import('node:fs/promises').then((fs) => fs.mkdir(saneDir));
  await writeFile(path.join(saneDir, 'dll.conf'), 'test\n');
  await options.prepare?.(archiveDir);

  const child: ChildProcess = spawn(process.execPath, [entry, '--port', '0', '--archive', archiveDir], {
    env: { ...process.env, SANE_CONFIG_DIR: `${saneDir}:` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local host did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = /Open (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => reject(new Error(`local host exited with ${code}:\n${output}`)));
  });

  return {
    url,
    archiveDir,
    output: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(work, { recursive: true, force: true });
    },
  };
}
