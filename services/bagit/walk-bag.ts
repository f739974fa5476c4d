import { lstatSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

export interface BagFile {
  /** `/`-separated, relative to the bag's root. */
  readonly path: string;
  readonly size: number;
}

export interface BagListing {
  readonly files: Map<string, BagFile>;
  /** Symbolic links and other non-regular entries: never followed, always reported. */
  readonly oddities: { path: string; kind: string }[];
}

/**
 * Every regular file under the bag's root. Validation only ever hashes files found here, never a
 * path taken from a manifest, so a hostile manifest cannot make us read outside the bag.
 */
export async function walkBag(root: string): Promise<BagListing> {
  const files = new Map<string, BagFile>();
  const oddities: { path: string; kind: string }[] = [];
  // Folders are listed in parallel; sizes come from synchronous lstat calls, a few microseconds
  // each, where thousands of asynchronous ones cost a thread-pool round trip apiece.
  async function visit(relative: string): Promise<void> {
    const entries = await readdir(path.join(root, relative), { withFileTypes: true });
    const folders: Promise<void>[] = [];
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) folders.push(visit(child));
      else if (entry.isFile()) files.set(child, { path: child, size: lstatSync(path.join(root, child)).size });
      else oddities.push({ path: child, kind: entry.isSymbolicLink() ? 'symbolic link' : 'special file' });
    }
    await Promise.all(folders);
  }
  await visit('');
  // Parallel discovery finishes in any order; reports and manifests read better sorted.
  const sorted = new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { files: sorted, oddities: oddities.sort((a, b) => a.path.localeCompare(b.path)) };
}
