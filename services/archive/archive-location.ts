import { homedir } from 'node:os';
import path from 'node:path';

/** The archive the app uses unless told otherwise: ARKIVA_ARCHIVE_DIR, else the XDG data folder (as the local host). */
export function defaultArchiveDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ARKIVA_ARCHIVE_DIR) return env.ARKIVA_ARCHIVE_DIR;
  const dataHome = env.XDG_DATA_HOME ?? path.join(homedir(), '.local', 'share');
  return path.join(dataHome, 'arkiva', 'archive');
}
