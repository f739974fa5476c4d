import { createHash } from 'node:crypto';
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileImportOutcome } from './file-import';

export type HotFolderReport =
  | { readonly file: string; readonly status: 'imported'; readonly pages: number; readonly message?: string }
  | { readonly file: string; readonly status: 'duplicate'; readonly message: string }
  | { readonly file: string; readonly status: 'rejected'; readonly message: string };

export interface HotFolderOptions {
  readonly folder: string;
  readonly importFile: (fileName: string, data: Buffer) => Promise<FileImportOutcome>;
  /** Called once per file taken, whatever became of it. */
  readonly onReport?: (report: HotFolderReport) => void;
  /** A file is taken once its size and modification time have not changed for this long. */
  readonly settleMs?: number;
  /** How often the folder is listed, besides change notifications (which network shares do not send). */
  readonly pollMs?: number;
  /** Milliseconds now; tests step it by hand. */
  readonly clock?: () => number;
  /** Listen to change notifications as well as polling (default true). */
  readonly watch?: boolean;
  /** Files larger than this are not read at all but moved to failed/ (default DEFAULT_MAX_HOT_FILE_BYTES). */
  readonly maxFileBytes?: number;
}

/**
 * 1 GiB. A file is read whole into memory to be hashed and imported; a scanner's multi-page
 * TIFF or PDF of a thick file stays well below this, and a stray disk image or video does not.
 */
export const DEFAULT_MAX_HOT_FILE_BYTES = 1024 * 1024 * 1024;

/** Sub-folders the hot folder files into; never scanned themselves. */
export const PROCESSED = 'processed';
export const FAILED = 'failed';
/** Content hashes of every file taken, one per line: survives restarts, so a file dropped again is not imported twice. */
const MEMORY = '.arkiva-taken';

interface Observation {
  readonly size: number;
  readonly mtimeMs: number;
  readonly since: number;
}

/**
 * Watches a folder that network scanners write into and imports each file once it is complete.
 *
 * A scanner writes a file over seconds; a file is taken only after its size and modification
 * time have stayed the same for the settle interval. Taken files are moved to `processed/`, or
 * to `failed/` with a `.txt` beside them saying why; a bad file is reported and the folder goes
 * on. Every file's SHA-256 is remembered, so the same scan dropped twice is imported once.
 * node:fs `watch` gives prompt notice where the OS supports it; a poll catches everything else
 * (SMB and NFS shares, where most scanners deliver, send no change events). chokidar would add
 * nothing this needs: the folder is flat and the settle rule is ours either way.
 */
export class HotFolder {
  readonly #options: HotFolderOptions;
  readonly #observed = new Map<string, Observation>();
  #taken = new Set<string>();
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sweep: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(options: HotFolderOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const { folder } = this.#options;
    await Promise.all([mkdir(path.join(folder, PROCESSED), { recursive: true }), mkdir(path.join(folder, FAILED), { recursive: true })]);
    const memory = await readFile(path.join(folder, PROCESSED, MEMORY), 'utf8').catch(() => '');
    this.#taken = new Set(memory.split('\n').filter((line) => /^[0-9a-f]{64}$/.test(line)));
    try {
      if (this.#options.watch !== false) {
        const watcher = watch(folder, () => void this.poke());
        watcher.on('error', () => watcher.close());
        this.#watcher = watcher;
      }
    } catch {
      // Polling alone still works.
    }
    this.#timer = setInterval(() => void this.poke(), this.#options.pollMs ?? 1000);
    void this.poke();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#watcher?.close();
    clearInterval(this.#timer);
    await this.#sweep;
  }

  /** Looks at the folder now (sweeps never overlap). Resolves when this sweep is done. */
  poke(): Promise<void> {
    this.#sweep = this.#sweep.then(() => (this.#stopped ? undefined : this.#sweepOnce())).catch((error: unknown) => {
      this.#report({ file: this.#options.folder, status: 'rejected', message: `The hot folder cannot be read: ${messageOf(error)}` });
    });
    return this.#sweep;
  }

  async #sweepOnce(): Promise<void> {
    const { folder } = this.#options;
    const settleMs = this.#options.settleMs ?? 2000;
    const now = (this.#options.clock ?? Date.now)();
    const present = new Set<string>();
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      // Hidden and partial files (".part", "~", ".tmp") are scanners still writing under a temporary name.
      if (!entry.isFile() || entry.name.startsWith('.') || /(\.part|\.tmp|~)$/i.test(entry.name)) continue;
      present.add(entry.name);
      const info = await stat(path.join(folder, entry.name)).catch(() => undefined);
      if (!info) continue;
      const seen = this.#observed.get(entry.name);
      if (!seen || seen.size !== info.size || seen.mtimeMs !== info.mtimeMs) {
        this.#observed.set(entry.name, { size: info.size, mtimeMs: info.mtimeMs, since: now });
        continue;
      }
      if (now - seen.since < settleMs) continue;
      this.#observed.delete(entry.name);
      await this.#take(entry.name);
    }
    for (const name of this.#observed.keys()) if (!present.has(name)) this.#observed.delete(name);
  }

  async #take(name: string): Promise<void> {
    const { folder } = this.#options;
    const file = path.join(folder, name);
    const maxBytes = this.#options.maxFileBytes ?? DEFAULT_MAX_HOT_FILE_BYTES;
    let data: Buffer;
    try {
      // Judged before reading: the whole file would otherwise sit in memory first.
      const { size } = await stat(file);
      if (size > maxBytes) {
        await this.#fail(name, `"${name}" is ${describeBytes(size)}, more than the ${describeBytes(maxBytes)} Arkiva imports from the hot folder; it was not read.`);
        return;
      }
      data = await readFile(file);
    } catch (error) {
      this.#report({ file: name, status: 'rejected', message: `"${name}" cannot be read: ${messageOf(error)}` });
      return;
    }
    const hash = createHash('sha256').update(data).digest('hex');
    if (this.#taken.has(hash)) {
      await this.#move(name, PROCESSED);
      this.#report({ file: name, status: 'duplicate', message: `"${name}" was imported before (same content); it was not imported again.` });
      return;
    }
    let outcome: FileImportOutcome;
    try {
      outcome = await this.#options.importFile(name, data);
    } catch (error) {
      await this.#fail(name, `"${name}" could not be imported: ${messageOf(error)}`);
      return;
    }
    if (outcome.pages.length > 0) await this.#remember(hash);
    if (outcome.error) {
      await this.#fail(name, outcome.error.message);
      return;
    }
    await this.#move(name, PROCESSED);
    this.#report({ file: name, status: 'imported', pages: outcome.pages.length });
  }

  async #fail(name: string, message: string): Promise<void> {
    const moved = await this.#move(name, FAILED);
    if (moved) await writeFile(`${moved}.txt`, `${message}\n`).catch(() => undefined);
    this.#report({ file: name, status: 'rejected', message });
  }

  async #remember(hash: string): Promise<void> {
    this.#taken.add(hash);
    await appendFile(path.join(this.#options.folder, PROCESSED, MEMORY), `${hash}\n`);
  }

  /** Moves a file into a sub-folder under a name not yet used there; returns its new path. */
  async #move(name: string, into: string): Promise<string | undefined> {
    const { folder } = this.#options;
    const { name: stem, ext } = path.parse(name);
    for (let n = 0; n < 1000; n += 1) {
      const target = path.join(folder, into, n === 0 ? name : `${stem} (${n})${ext}`);
      const exists = await stat(target).then(
        () => true,
        () => false,
      );
      if (exists) continue;
      try {
        await rename(path.join(folder, name), target);
        return target;
      } catch (error) {
        this.#report({ file: name, status: 'rejected', message: `"${name}" could not be moved to ${into}/: ${messageOf(error)}` });
        return undefined;
      }
    }
    return undefined;
  }

  #report(report: HotFolderReport): void {
    this.#options.onReport?.(report);
  }
}

function describeBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes >= 10 * 1024 * 1024 ? 0 : 1)} MB`;
  return `${bytes} bytes`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
