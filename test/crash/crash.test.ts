import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pageRecordSchema } from '../../common/api/contract';
import { isTemporaryFile, walk } from '../../services/archive/archive-store';
import { checkFixity } from '../../services/archive/fixity';
import { startAppServices } from '../../services/app-services';
import { openSampleArchive } from '../../services/documents/sample-archive';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHILD_SOURCE = path.join(PROJECT_ROOT, 'test/crash/crash-child.ts');
// Bundled once, so each of the many restarts costs a plain `node` start rather than a TypeScript
// compile; inside node_modules so that the packages (left external: sharp and the PDF renderer
// are native) resolve from there.
const CHILD = path.join(PROJECT_ROOT, 'node_modules/.cache/arkiva-crash-test/crash-child.mjs');
const KILLS = 22;

/**
 * Seeded, so a failing run can be replayed: the seed is printed, and ARKIVA_CRASH_SEED=<seed>
 * runs the same choices again (the parent's kill delays, each child's seed, and through it
 * every choice the child makes).
 */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

interface Run {
  stored: string[];
  revisions: Map<string, number>;
  pdfs: string[];
}

/** Starts the child, lets it work for `workMs` after it is ready, then SIGKILLs it. */
function runAndKill(root: string, pdfDir: string, seed: number, workMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, root, pdfDir], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ARKIVA_CRASH_SEED: String(seed) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { stored: [], revisions: new Map(), pdfs: [] };
    let buffered = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, id, revision] = line.split(' ');
        if (kind === 'ready') timer = setTimeout(() => child.kill('SIGKILL'), workMs);
        else if (kind === 'stored' && id) run.stored.push(id);
        else if (kind === 'document' && id) run.revisions.set(id, Number(revision));
        else if (kind === 'pdf' && id) run.pdfs.push(id);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(run);
      else reject(new Error(`the child (seed ${seed}) ended by itself (code ${code}): ${stderr}`));
    });
  });
}

let scratch = '';
let root = '';
let pdfDir = '';
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'arkiva-crash-'));
  root = path.join(scratch, 'archive');
  pdfDir = path.join(scratch, 'pdf');
  await mkdir(pdfDir);
  await build({ entryPoints: [CHILD_SOURCE], outfile: CHILD, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
}, 60_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** The status of every page record as the kill left it (before any recovery). */
async function readPageStatuses(archiveRoot: string): Promise<string[]> {
  const files = (await walk(path.join(archiveRoot, 'pages'))).filter((file) => file.endsWith('.json') && !isTemporaryFile(file));
  return Promise.all(files.map(async (file) => z.object({ status: z.string() }).parse(JSON.parse(await readFile(file, 'utf8'))).status));
}

/** A PDF the child wrote is whole or absent (atomic write): its header and its end are there. */
async function requireWholePdfs(context: string, confirmed: ReadonlySet<string>): Promise<void> {
  const names = (await readdir(pdfDir)).filter((name) => !isTemporaryFile(name));
  for (const file of confirmed) expect(names, `${context}: confirmed PDF ${file} lost`).toContain(path.basename(file));
  for (const name of names) {
    const bytes = await readFile(path.join(pdfDir, name));
    expect(bytes.subarray(0, 5).toString('latin1'), `${context}: ${name}`).toBe('%PDF-');
    expect(bytes.subarray(-32).toString('latin1'), `${context}: ${name} is torn`).toMatch(/%%EOF\s*$/);
  }
}

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs during imports, multi-page imports, OCR, document edits and PDF writes: fixity passes, no page lost or duplicated`, async () => {
    const seed = Number(process.env.ARKIVA_CRASH_SEED) || Date.now() % 100_000;
    console.log(`crash test: seed ${seed} (ARKIVA_CRASH_SEED=${seed} replays it)`);
    const next = random(seed);
    const confirmed = new Set<string>();
    const confirmedPdfs = new Set<string>();
    const confirmedRevisions = new Map<string, number>();
    let interrupted = 0;
    let midOcr = 0;
    let midPdf = 0;
    let midFile = 0;
    const cutPdfs = new Set<string>(); // temporary files of PDF writes cut short (outside the archive, nobody removes them)

    for (let kill = 1; kill <= KILLS; kill += 1) {
      const context = `kill ${kill} of ${KILLS} (seed ${seed})`;
      const run = await runAndKill(root, pdfDir, seed * 100 + kill, 40 + Math.floor(next() * 360));
      for (const id of run.stored) confirmed.add(id);
      for (const file of run.pdfs) confirmedPdfs.add(file);
      for (const [id, revision] of run.revisions) confirmedRevisions.set(id, revision);

      // What the kill left mid-way: temporary files, journal entries.
      const journal = await readdir(path.join(root, 'journal'));
      const leftovers = (await walk(root)).filter(isTemporaryFile).length + journal.length;
      if (journal.some((name) => name.startsWith('file-'))) midFile += 1;
      const pdfTemporaries = (await readdir(pdfDir)).filter((name) => isTemporaryFile(name));
      const cutPdf = pdfTemporaries.some((name) => !cutPdfs.has(name));
      if (cutPdf) midPdf += 1;
      for (const name of pdfTemporaries) cutPdfs.add(name);
      const waitingForOcr = (await readPageStatuses(root)).some((status) => status === 'pending-ocr');
      if (waitingForOcr) midOcr += 1;
      if (leftovers > 0 || cutPdf || waitingForOcr) interrupted += 1;

      // Restart as the app does (recovery), then check.
      const restarted = await openSampleArchive(root, () => ({ text: 'x', confidence: 90, languages: 'eng', words: [] }));
      await restarted.recognition.idle();
      const report = await checkFixity(root);
      expect(report.problems, context).toEqual([]);
      expect(report.notes, context).toEqual([]);

      const pages = await restarted.archive.listPages((file, reason) => {
        throw new Error(`${context}: unreadable page record ${file}: ${reason}`);
      });
      const ids = pages.map((page) => page.id);
      expect(new Set(ids).size, context).toBe(ids.length);
      for (const id of confirmed) expect(ids, `${context}: confirmed page ${id} lost`).toContain(id);
      expect(pages.filter((page) => page.status === 'pending-ocr'), context).toEqual([]);
      // A multi-page file the kill interrupted was finished at the restart: every page of it is in.
      const pagesOfFile = new Map<string, { count: number; numbers: number[] }>();
      for (const { source } of pages) {
        if (source.kind !== 'import' || !source.fileSha256 || source.pageNumber === undefined || source.pageCount === undefined) continue;
        const file = pagesOfFile.get(source.fileSha256) ?? { count: source.pageCount, numbers: [] };
        file.numbers.push(source.pageNumber);
        pagesOfFile.set(source.fileSha256, file);
      }
      for (const [fileSha256, { count, numbers }] of pagesOfFile) {
        expect(numbers.sort((a, b) => a - b), `${context}: pages of file ${fileSha256}`).toEqual(Array.from({ length: count }, (_, index) => index + 1));
      }
      await requireWholePdfs(context, confirmedPdfs);

      const owners = new Map<string, string>();
      for (const document of restarted.documents.list()) {
        if (document.deleted) continue;
        for (const { pageId } of document.pages) {
          expect(owners.get(pageId), `${context}: page ${pageId} in two documents`).toBeUndefined();
          owners.set(pageId, document.id);
          expect(ids, context).toContain(pageId);
        }
      }
      for (const [id, revision] of confirmedRevisions) {
        expect(restarted.documents.get(id).document.revision, `${context}: document ${id} lost a confirmed revision`).toBeGreaterThanOrEqual(revision);
      }
    }
    // Last, the app's own start-up (services/app-services.ts) opens what the kills left. (Each
    // restart above recovers in the same steps; the app's start-up itself cannot take an OCR
    // stand-in, and Tesseract for every page left pending would be far too slow here.)
    const app = await startAppServices({ host: 'local', archiveDir: root, hotFolder: '' });
    const listed = await app.dispatch('pages.list', {});
    await app.close();
    if (!listed.ok) throw new Error(`pages.list after the app's start-up: ${listed.error.message}`);
    const listedIds = z.object({ pages: z.array(pageRecordSchema) }).parse(listed.value).pages.map((page) => page.id);
    for (const id of confirmed) expect(listedIds, `the app's start-up: confirmed page ${id} lost`).toContain(id);
    expect(await checkFixity(root)).toMatchObject({ ok: true, problems: [], notes: [] });

    console.log(
      `crash test: ${KILLS} kills (seed ${seed}), ${interrupted} left work mid-way, ${confirmed.size} pages, ` +
        `${confirmedRevisions.size} documents and ${confirmedPdfs.size} PDFs confirmed; ${midOcr} kills left pages waiting for OCR, ${midFile} a multi-page file half imported, ${midPdf} a PDF cut short`,
    );
    expect(confirmed.size).toBeGreaterThan(0);
    // The kills must really land in the middle of work, or the test proves nothing.
    expect(interrupted).toBeGreaterThanOrEqual(KILLS / 4);
  }, 120_000);
});
