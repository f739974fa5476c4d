import { lstat, readdir } from 'node:fs/promises';
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
  // Each folder's entries are examined in parallel: a bag of thousands of pages is thousands of
  // stat calls, and one at a time they cost more than hashing on a busy machine.
  async function visit(relative: string): Promise<void> {
    const entries = await readdir(path.join(root, relative), { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory()) await visit(child);
        else if (entry.isFile()) files.set(child, { path: child, size: (await lstat(path.join(root, child))).size });
        else oddities.push({ path: child, kind: entry.isSymbolicLink() ? 'symbolic link' : 'special file' });
      }),
    );
  }
  await visit('');
  // Parallel discovery finishes in any order; reports and manifests read better sorted.
  const sorted = new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { files: sorted, oddities: oddities.sort((a, b) => a.path.localeCompare(b.path)) };
}
