import { copyFile, mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { syncDirectory } from '../archive/atomic-write';
import { encodeBagPath, unsafePathReason } from './bag-paths';
import { hashFiles, sha256Hex } from './hash-files';

/** A file to copy, bytes in hand, or bytes loaded when the writer gets to them (bounded memory). */
export type BagSource = { readonly file: string } | { readonly bytes: Uint8Array | string } | { readonly load: () => Promise<Uint8Array> };

export interface WrittenPayloadFile {
  readonly sha256: string;
  readonly bytes: number;
}

export interface BagEntry {
  /** Path inside the bag, "/"-separated; payload entries start with "data/". */
  readonly path: string;
  readonly source: BagSource;
}

export interface BagSpec {
  readonly payload: readonly BagEntry[];
  /**
   * Extra tag files (outside data/), covered by the tag manifest; a function receives what was
   * written to the payload, for tag files that describe it (chain of custody).
   */
  readonly tagFiles?: readonly TagEntry[] | ((payload: ReadonlyMap<string, WrittenPayloadFile>) => readonly TagEntry[]);
  /** bag-info.txt entries in order; Payload-Oxum and Bagging-Date are added. */
  readonly info: readonly (readonly [string, string])[];
  readonly baggingDate?: Date;
}

export interface TagEntry {
  readonly path: string;
  readonly source: { readonly file: string } | { readonly bytes: Uint8Array | string };
}

export interface WrittenBag {
  readonly payloadOxum: string;
  /** SHA-256 of tagmanifest-sha256.txt: what signatures cover. */
  readonly tagmanifestSha256: string;
  readonly payload: ReadonlyMap<string, WrittenPayloadFile>;
}

/**
 * Writes a BagIt 1.0 bag with SHA-256 manifests into `target`, which must not exist yet. Every
 * file is fsynced; callers write into a temporary folder and rename it into place, so a bag is
 * either complete or absent.
 */
export async function writeBag(target: string, spec: BagSpec): Promise<WrittenBag> {
  for (const entry of spec.payload) {
    if (!entry.path.startsWith('data/')) throw new Error(`Payload path must start with data/: ${entry.path}`);
    const unsafe = unsafePathReason(entry.path);
    if (unsafe) throw new Error(`Bag path ${entry.path} ${unsafe}`);
  }
  const existing = await stat(target).catch(() => undefined);
  if (existing) throw new Error(`${target} already exists; a bag is never written over another.`);
  await mkdir(target, { recursive: true });

  const copied: { path: string; file: string }[] = [];
  const written = new Map<string, WrittenPayloadFile>();
  for (const entry of spec.payload) {
    const file = path.join(target, entry.path);
    await mkdir(path.dirname(file), { recursive: true });
    if ('file' in entry.source) {
      await copyFile(entry.source.file, file);
      copied.push({ path: entry.path, file });
    } else {
      const loaded = 'load' in entry.source ? await entry.source.load() : entry.source.bytes;
      const bytes = typeof loaded === 'string' ? Buffer.from(loaded) : loaded;
      await writeDurably(file, bytes);
      written.set(entry.path, { sha256: sha256Hex(bytes), bytes: bytes.length });
    }
  }
  // Copied files are hashed from the copy, so the manifest vouches for what is in the bag.
  const outcomes = await hashFiles(copied.map(({ file }) => ({ file, algorithms: ['sha256'] })));
  copied.forEach(({ path: bagPath }, index) => {
    const outcome = outcomes[index];
    if (!outcome || 'error' in outcome) throw outcome?.error ?? new Error(`Cannot hash ${bagPath}`);
    written.set(bagPath, { sha256: outcome.digests.sha256 ?? '', bytes: outcome.size });
  });
  await Promise.all(copied.map(({ file }) => syncFile(file)));

  const octets = [...written.values()].reduce((sum, file) => sum + file.bytes, 0);
  const payloadOxum = `${octets}.${written.size}`;
  const manifest = manifestText([...written].map(([bagPath, file]) => [bagPath, file.sha256]));
  const info = [...spec.info, ['Bagging-Date', isoDate(spec.baggingDate ?? new Date())] as const, ['Payload-Oxum', payloadOxum] as const];
  const tagContents = new Map<string, Uint8Array>([
    ['bagit.txt', Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')],
    ['bag-info.txt', Buffer.from(bagInfoText(info))],
    ['manifest-sha256.txt', Buffer.from(manifest)],
  ]);
  const tagFiles = typeof spec.tagFiles === 'function' ? spec.tagFiles(written) : (spec.tagFiles ?? []);
  for (const entry of tagFiles) {
    const unsafe = unsafePathReason(entry.path);
    if (unsafe || entry.path.startsWith('data/') || RESERVED.has(entry.path) || tagContents.has(entry.path)) {
      throw new Error(`Not a usable tag file path: ${entry.path}`);
    }
    tagContents.set(entry.path, 'file' in entry.source ? await readFile(entry.source.file) : Buffer.from(entry.source.bytes));
  }
  for (const [bagPath, bytes] of tagContents) {
    await mkdir(path.dirname(path.join(target, bagPath)), { recursive: true });
    await writeDurably(path.join(target, bagPath), bytes);
  }
  const tagmanifest = Buffer.from(manifestText([...tagContents].map(([bagPath, bytes]) => [bagPath, sha256Hex(bytes)])));
  await writeDurably(path.join(target, 'tagmanifest-sha256.txt'), tagmanifest);
  await syncDirectory(target);
  return { payloadOxum, tagmanifestSha256: sha256Hex(tagmanifest), payload: written };
}

const RESERVED = new Set(['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt', 'fetch.txt']);

function manifestText(entries: [string, string][]): string {
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([bagPath, digest]) => `${digest}  ${encodeBagPath(bagPath)}\n`)
    .join('');
}

/** Labels are single tokens; values that span lines become RFC 8493 continuation lines. */
export function bagInfoText(entries: readonly (readonly [string, string])[]): string {
  return entries
    .map(([label, value]) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(label)) throw new Error(`Not a bag-info label: ${label}`);
      return `${label}: ${value.trim().split(/\r\n|\r|\n/).join('\n  ')}\n`;
    })
    .join('');
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

async function writeDurably(file: string, data: Uint8Array | string): Promise<void> {
  await writeFile(file, data, { flag: 'wx' });
  await syncFile(file);
}

async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
