import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { batchRecordSchema, type BatchRecord } from '../../common/api/contract';
import { writeFileAtomic } from '../archive/atomic-write';

/**
 * Batches on disk, beside the archive:
 *
 *   <root>/<batch id>/batch.json    lifecycle state and history (atomic writes)
 *   <root>/<batch id>/seal-1/       the sealed bag, never modified afterwards
 *   <root>/<batch id>/seal-2/       a re-seal after a rejection; seal-1 stays as history
 */
export class BatchStore {
  constructor(readonly root: string) {}

  dir(id: string): string {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error(`Not a batch id: ${id}`);
    return path.join(this.root, id);
  }

  bagDir(id: string, n: number): string {
    return path.join(this.dir(id), `seal-${n}`);
  }

  /** Removes bags a crash left half-written (sealing writes `.seal-N.<random>.tmp`, then renames). */
  async removeInterruptedSeals(): Promise<string[]> {
    const removed: string[] = [];
    for (const id of await readdir(this.root).catch(() => [] as string[])) {
      if (!/^[0-9a-f-]{36}$/.test(id)) continue;
      for (const name of await readdir(path.join(this.root, id)).catch(() => [] as string[])) {
        if (!/^\.seal-\d+\.[0-9a-f]+\.tmp$/.test(name)) continue;
        await rm(path.join(this.root, id, name), { recursive: true, force: true });
        removed.push(`${id}/${name}`);
      }
    }
    return removed;
  }

  async save(batch: BatchRecord): Promise<void> {
    await mkdir(this.dir(batch.id), { recursive: true });
    await writeFileAtomic(path.join(this.dir(batch.id), 'batch.json'), `${JSON.stringify(batchRecordSchema.parse(batch), null, 2)}\n`);
  }

  async get(id: string): Promise<BatchRecord | undefined> {
    let json: string;
    try {
      json = await readFile(path.join(this.dir(id), 'batch.json'), 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    }
    return batchRecordSchema.parse(JSON.parse(json));
  }

  async list(): Promise<BatchRecord[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const batches = await Promise.all(names.filter((name) => /^[0-9a-f-]{36}$/.test(name)).map((name) => this.get(name)));
    return batches.filter((batch): batch is BatchRecord => batch !== undefined).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}
