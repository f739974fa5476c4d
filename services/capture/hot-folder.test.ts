import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PageRecord } from '../../common/api/contract';
import { ImportError } from '../../scanner-drivers/file-import/import-errors';
import { inspectImage } from '../../scanner-drivers/file-import/inspect-image';
import type { FileImportOutcome } from './file-import';
import { FAILED, HotFolder, PROCESSED } from './hot-folder';
import type { HotFolderReport } from './hot-folder';

let folder: string;
let now: number;
let imported: { name: string; size: number }[];
let reports: HotFolderReport[];
let hot: HotFolder;

/** Stands in for the archive import: checks the image as the real one does, records what came. */
async function importFile(name: string, data: Buffer): Promise<FileImportOutcome> {
  try {
    await inspectImage(data, name);
  } catch (error) {
    if (error instanceof ImportError) return { pages: [], error };
    throw error;
  }
  imported.push({ name, size: data.length });
  const page: PageRecord = {
    id: createHash('sha256').update(data).digest('hex'),
    source: { kind: 'import', fileName: name },
    capturedAt: new Date().toISOString(),
    originalMimeType: 'image/png',
    width: 64,
    height: 64,
    status: 'pending-ocr',
  };
  return { pages: [page], error: undefined };
}

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'arkiva-hot-'));
  now = 0;
  imported = [];
  reports = [];
  // Polling and change events are driven by hand here: the test steps the clock and pokes.
  hot = new HotFolder({ folder, importFile, onReport: (report) => reports.push(report), settleMs: 2000, pollMs: 3_600_000, clock: () => now, watch: false });
  await hot.start();
});
afterEach(async () => {
  await hot.stop();
  await rm(folder, { recursive: true, force: true });
});

const page = (shade: number) => sharp({ create: { width: 64, height: 64, channels: 3, background: { r: shade, g: shade, b: shade } } }).png().toBuffer();

async function after(ms: number) {
  now += ms;
  await hot.poke();
}

describe('HotFolder', () => {
  it('takes a file only once it has stopped growing for the settle interval', async () => {
    const png = await page(10);
    const file = path.join(folder, 'scan0001.png');
    await writeFile(file, png.subarray(0, 100));
    await after(0);
    await after(1500);
    await appendFile(file, png.subarray(100, 200));
    await after(1500); // grew: the settle interval starts again
    await appendFile(file, png.subarray(200));
    await after(1999);
    await after(1999);
    expect(imported).toEqual([]);
    await after(1);
    expect(imported).toEqual([{ name: 'scan0001.png', size: png.length }]);
    expect(reports).toEqual([{ file: 'scan0001.png', status: 'imported', pages: 1 }]);
    expect(await readdir(folder)).toEqual(expect.not.arrayContaining(['scan0001.png']));
    expect(await readdir(path.join(folder, PROCESSED))).toContain('scan0001.png');
  });

  it('imports the same content once, even under another name or after a restart', async () => {
    const png = await page(20);
    await writeFile(path.join(folder, 'a.png'), png);
    await after(0);
    await after(2000);
    await hot.stop();
    hot = new HotFolder({ folder, importFile, onReport: (report) => reports.push(report), settleMs: 2000, pollMs: 3_600_000, clock: () => now, watch: false });
    await hot.start();
    await writeFile(path.join(folder, 'b.png'), png);
    await writeFile(path.join(folder, 'a.png'), png);
    await after(0);
    await after(2000);
    expect(imported.map((entry) => entry.name)).toEqual(['a.png']);
    expect(reports.filter((report) => report.status === 'duplicate').map((report) => report.file).sort()).toEqual(['a.png', 'b.png']);
    // Nothing is lost: the second a.png is kept beside the first.
    expect((await readdir(path.join(folder, PROCESSED))).sort()).toEqual(['.arkiva-taken', 'a (1).png', 'a.png', 'b.png']);
  });

  it('moves a bad file to failed/ with the reason beside it, and goes on with the others', async () => {
    await writeFile(path.join(folder, 'empty.png'), '');
    await writeFile(path.join(folder, 'notes.png'), 'not an image');
    await writeFile(path.join(folder, 'good.png'), await page(30));
    await after(0);
    await after(2000);
    expect(imported.map((entry) => entry.name)).toEqual(['good.png']);
    const rejected = reports.filter((report) => report.status === 'rejected');
    expect(rejected.map((report) => report.file).sort()).toEqual(['empty.png', 'notes.png']);
    expect((await readdir(path.join(folder, FAILED))).sort()).toEqual(['empty.png', 'empty.png.txt', 'notes.png', 'notes.png.txt']);
    expect(await readFile(path.join(folder, FAILED, 'empty.png.txt'), 'utf8')).toContain('is empty (0 bytes)');
  });

  it('refuses a file over the size limit without reading it, moving it to failed/ with the reason', async () => {
    await hot.stop();
    hot = new HotFolder({ folder, importFile, onReport: (report) => reports.push(report), settleMs: 2000, pollMs: 3_600_000, clock: () => now, watch: false, maxFileBytes: 1000 });
    await hot.start();
    const big = await page(60);
    expect(big.length).toBeLessThan(1000);
    await writeFile(path.join(folder, 'big.tif'), Buffer.alloc(1001));
    await writeFile(path.join(folder, 'small.png'), big);
    await after(0);
    await after(2000);
    expect(imported.map((entry) => entry.name)).toEqual(['small.png']);
    expect(reports.filter((report) => report.status === 'rejected')).toEqual([
      { file: 'big.tif', status: 'rejected', message: '"big.tif" is 1001 bytes, more than the 1000 bytes Arkiva imports from the hot folder; it was not read.' },
    ]);
    expect((await readdir(path.join(folder, FAILED))).sort()).toEqual(['big.tif', 'big.tif.txt']);
    expect(await readFile(path.join(folder, FAILED, 'big.tif.txt'), 'utf8')).toContain('more than the 1000 bytes');
  });

  it('leaves files being written under a temporary name alone', async () => {
    await writeFile(path.join(folder, 'scan.png.part'), await page(40));
    await writeFile(path.join(folder, '.scan.png'), await page(41));
    await after(0);
    await after(5000);
    expect(imported).toEqual([]);
    expect(reports).toEqual([]);
  });

  it('notices a new file by itself, through change events or the poll', async () => {
    await hot.stop();
    hot = new HotFolder({ folder, importFile, settleMs: 50, pollMs: 20 });
    await hot.start();
    await writeFile(path.join(folder, 'auto.png'), await page(50));
    const deadline = Date.now() + 5000;
    while (imported.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(imported.map((entry) => entry.name)).toEqual(['auto.png']);
  });
});
