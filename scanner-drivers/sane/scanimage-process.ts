import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { ScanimageEnd } from './scanimage-outcome';

export interface ScanimageCommand {
  readonly path: string;
  /** Added to the inherited environment, e.g. SANE_CONFIG_DIR. */
  readonly env: Readonly<Record<string, string>>;
}

export type ScanimageChild = ChildProcessByStdio<null, Readable, Readable>;

/** stderr is evidence for error mapping; a chatty backend must not grow it without bound. */
const STDERR_LIMIT = 64 * 1024;
/** Option listings and device lists are small; anything past this is not scanimage talking. */
const STDOUT_LIMIT = 4 * 1024 * 1024;

export function spawnScanimage(command: ScanimageCommand, args: readonly string[]): ScanimageChild {
  return spawn(command.path, args, {
    // LC_ALL=C: the SANE status texts we map must not arrive translated.
    env: { ...process.env, ...command.env, LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
  });
}

/** Keeps the last `limit` characters of a stream. */
export function collectTail(stream: Readable, limit = STDERR_LIMIT): () => string {
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text += chunk;
    if (text.length > 2 * limit) text = text.slice(-limit);
  });
  return () => text.slice(-limit);
}

/** Resolves once the process has ended and its output streams are drained, or could not start. */
export function processEnd(child: ScanimageChild, stderr: () => string): Promise<ScanimageEnd> {
  return new Promise((resolve) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      // A child that never started emits no 'close' we could rely on.
      if (child.pid === undefined) resolve({ exitCode: null, signal: null, spawnError: error, stderr: stderr() });
    });
    child.once('close', (exitCode: number | null, signal: NodeJS.Signals | null) => {
      resolve({ exitCode, signal, spawnError: undefined, stderr: stderr() });
    });
  });
}

export function isRunning(child: ScanimageChild): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

function delay(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(resolve, ms, 'timeout').unref());
}

/**
 * SIGTERM lets scanimage call sane_cancel and release the device cleanly; a backend stuck in
 * I/O gets SIGKILL after `graceMs`. Resolves when the process is gone (or, for a process the
 * kernel will not reap, after a second grace period, so a caller's cleanup still runs).
 */
export async function stopScanimage(child: ScanimageChild, ended: Promise<unknown>, graceMs: number): Promise<void> {
  if (!isRunning(child)) return;
  child.kill('SIGTERM');
  if ((await Promise.race([ended, delay(graceMs)])) !== 'timeout') return;
  child.kill('SIGKILL');
  await Promise.race([ended, delay(graceMs)]);
}

export interface ScanimageResult extends ScanimageEnd {
  readonly stdout: string;
}

/**
 * Runs scanimage to completion for short commands (device list, option listing). With
 * `timeoutMs`, a run that takes longer is killed (its end then reports the signal).
 */
export async function runScanimage(command: ScanimageCommand, args: readonly string[], timeoutMs?: number): Promise<ScanimageResult> {
  const child = spawnScanimage(command, args);
  const stderr = collectTail(child.stderr);
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    if (stdout.length < STDOUT_LIMIT) stdout += chunk;
  });
  const ended = processEnd(child, stderr);
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => void stopScanimage(child, ended, 500), timeoutMs);
  const end = await ended;
  clearTimeout(timer);
  return { ...end, stdout };
}
