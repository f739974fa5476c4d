import { mkdir, open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/**
 * Writes a file so that a crash or power cut leaves either the old file or the new one, never a
 * torn one: write a temporary file in the same directory, fsync it, rename it over the target,
 * then fsync the directory so the rename itself is durable.
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(temp, 'wx');
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temp, { force: true });
    throw error;
  }
  await file.close();
  try {
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

/**
 * Creates a folder and any missing parents so that they survive a power cut: a new folder's
 * name lives in its parent, so each parent of a newly created folder is fsynced, deepest first
 * (a file renamed into a folder whose own entry was never synced can vanish with the folder).
 */
export async function makeDirectoryDurable(dir: string, sync: (folder: string) => Promise<void> = syncDirectory): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return; // it was already there
  const created: string[] = [];
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    created.push(current);
    if (current === path.resolve(first) || path.dirname(current) === current) break;
  }
  for (const folder of created) await sync(path.dirname(folder));
}

export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
