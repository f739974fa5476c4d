import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface NativeRun {
  text: string;
  /** User + system CPU time of the process (from GNU time), when /usr/bin/time is installed. */
  cpuSeconds: number | undefined;
}

const GNU_TIME = '/usr/bin/time';
const CPU_MARK = 'arkiva-cpu:';

/**
 * The reference: Debian's `tesseract` CLI on one page, single-threaded (OMP_THREAD_LIMIT=1),
 * which with one process per core is native Tesseract's fastest configuration on few cores.
 */
export function runNativeTesseract(file: string, languages: string, tessdataDir: string): Promise<NativeRun> {
  const command = ['tesseract', '--tessdata-dir', tessdataDir, file, 'stdout', '-l', languages];
  const timed = existsSync(GNU_TIME);
  const [program, ...args] = timed ? [GNU_TIME, '-f', `${CPU_MARK}%U %S`, ...command] : command;
  return new Promise((resolve, reject) => {
    const child = spawn(program ?? 'tesseract', args, { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code !== 0) {
        reject(new Error(`tesseract exited with ${code} on ${file}: ${stderr.trim()}`));
        return;
      }
      const cpu = stderr.split('\n').find((line) => line.startsWith(CPU_MARK));
      const [user = Number.NaN, system = Number.NaN] = (cpu?.slice(CPU_MARK.length).split(' ') ?? []).map(Number);
      resolve({ text: Buffer.concat(out).toString('utf8'), cpuSeconds: cpu ? user + system : undefined });
    });
  });
}

/** Runs `task` over `items` with at most `concurrency` at a time; results in input order. */
export async function mapConcurrent<T, R>(items: readonly T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await task(items[index] as T, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
