import path from 'node:path';
import { parseArgs } from 'node:util';

/** What `npm start` hands to Electron: its arguments, its environment, and what to tell the user. */
export interface ElectronLaunch {
  args: string[];
  env: NodeJS.ProcessEnv;
  notices: string[];
}

/**
 * Chromium refuses to start as root with its sandbox on, and the sandbox cannot work there anyway;
 * only then is it turned off, and said so.
 */
export function sandboxArgs(uid: number | undefined): string[] {
  return uid === 0 ? ['--no-sandbox'] : [];
}

/**
 * Electron's command line for `npm start -- [--archive DIR] [--port N]`. The archive goes through
 * the environment (ARKIVA_ARCHIVE_DIR, which the main process reads) since Chromium claims
 * unknown switches; `--port` belongs to the local host and has no meaning in a window.
 */
export function electronLaunch(options: { mainScript: string; argv: string[]; env: NodeJS.ProcessEnv; uid: number | undefined; cwd: string }): ElectronLaunch {
  const { values } = parseArgs({ args: options.argv, options: { archive: { type: 'string' }, port: { type: 'string' } } });
  const env = { ...options.env };
  if (values.archive !== undefined) env.ARKIVA_ARCHIVE_DIR = path.resolve(options.cwd, values.archive);
  const notices: string[] = [];
  if (values.port !== undefined) notices.push('--port applies to the local host only; Electron has no port.');
  const sandbox = sandboxArgs(options.uid);
  if (sandbox.length > 0) {
    notices.push(
      "Running as root: Chromium's sandbox cannot run as root, so Electron starts with --no-sandbox. " +
        'Start Arkiva as an ordinary user to keep the sandbox.',
    );
  }
  return { args: [options.mainScript, ...sandbox], env, notices };
}
