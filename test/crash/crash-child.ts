/**
 * The process the crash test kills: opens the archive the way the app's start-up does
 * (services/app-services.ts: interrupted writes removed, document changes rolled forward,
 * imports finished, pending OCR resumed), then imports pages and multi-page files, edits
 * documents and writes PDFs in a loop until it is killed, while a slow OCR stand-in works
 * through the pages. It prints each change only after it returned, i.e. once the archive
 * confirmed it:
 *   stored <pageId>            a page was imported
 *   document <id> <revision>   a document reached this revision
 *   pdf <file>                 a PDF was written
 *
 * Every choice comes from ARKIVA_CRASH_SEED, so a failing run can be replayed (the kill timing
 * and the OCR stand-in's pace still vary with the machine).
 */
import path from 'node:path';
import sharp from 'sharp';
import { seededRandom } from '../../bench/seeded-random';
import type { DocumentRecord, OcrResult } from '../../common/api/contract';
import { EventBus } from '../../services/api/event-bus';
import { ArchiveStore } from '../../services/archive/archive-store';
import { importFile } from '../../services/capture/file-import';
import { pdfCommand } from '../../services/cli/pdf-command';
import { DocumentStore } from '../../services/documents/document-store';
import { PageIntake } from '../../services/pages/page-intake';
import { PageRecognition } from '../../services/pages/page-recognition';

const [rootArg, pdfDirArg] = process.argv.slice(2);
const seed = Number(process.env.ARKIVA_CRASH_SEED);
if (!rootArg || !pdfDirArg || !Number.isInteger(seed)) throw new Error('usage: ARKIVA_CRASH_SEED=N crash-child ARCHIVE_DIR PDF_DIR');
const root: string = rootArg;
const pdfDir: string = pdfDirArg;

const random = seededRandom(seed);
const ocrPace = seededRandom(seed ^ 0x5bd1e995);
const randomInt = (below: number) => Math.floor(random() * below);
const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)] as T;
const say = (line: string) => process.stdout.write(`${line}\n`);

/** Stands in for Tesseract and, like it, takes a while per page, so kills land while pages are being recognised. */
const slowOcr = {
  async recognize(): Promise<OcrResult> {
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(ocrPace() * 80)));
    return { text: 'x', confidence: 90, languages: 'eng', words: [] };
  },
};

// Start-up, in the order startAppServices runs it.
const archive = await ArchiveStore.open(root);
await archive.removeInterruptedWrites();
const bus = new EventBus();
const documents = await DocumentStore.open(archive);
const recognition = new PageRecognition(archive, bus, async () => slowOcr, { maxInFlight: 3 });
const intake = new PageIntake(archive, bus, recognition);
await intake.resumeInterrupted(() => {});
await recognition.resumePending();

const free = new Set((await archive.listPages(() => {})).map((page) => page.id).filter((id) => !documents.ownerOf(id)));
say('ready');

const announce = (document: DocumentRecord) => say(`document ${document.id} ${document.revision}`);
const live = () => documents.list().filter((document) => !document.deleted);

/** Noise: every page is new bytes, and big enough (~60 KB) that writes take a moment. */
function noise(): Promise<Buffer> {
  const pixels = Buffer.alloc(120 * 160 * 3); // a multiple of 4
  for (let index = 0; index < pixels.length; index += 4) pixels.writeUInt32LE(Math.floor(random() * 2 ** 32), index);
  return sharp(pixels, { raw: { width: 120, height: 160, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
}

async function importPage(): Promise<void> {
  const page = await intake.ingest(await noise(), { mimeType: 'image/png' }, { kind: 'import', fileName: `${randomInt(1e9)}.png` });
  free.add(page.id);
  say(`stored ${page.id}`);
}

/** A multi-page TIFF, imported as the app imports a file: kept whole, each page a page of its own. */
async function importMultiPageFile(): Promise<void> {
  const sheets = await Promise.all(Array.from({ length: 2 + randomInt(3) }, () => noise()));
  const tiff = await sharp(sheets, { join: { animated: true } }).tiff({ compression: 'lzw' }).toBuffer();
  const outcome = await importFile(`${randomInt(1e9)}.tif`, tiff, { sink: intake, originals: archive });
  if (outcome.error) throw outcome.error;
  for (const page of outcome.pages) {
    free.add(page.id);
    say(`stored ${page.id}`);
  }
}

/** A PDF of a document through `arkiva pdf` itself (reads the archive, writes FILE atomically). */
async function writePdf(): Promise<void> {
  const docs = live();
  if (docs.length === 0) return;
  const { id } = pick(docs);
  const file = path.join(pdfDir, `${id}-${randomInt(1e6)}.pdf`);
  let stderr = '';
  const io = { stdout: () => {}, stderr: (text: string) => void (stderr += text) };
  const code = await pdfCommand.run([id, '--out', file, '--archive', root], io);
  if (code !== 0) throw new Error(`arkiva pdf failed: ${stderr}`);
  say(`pdf ${file}`);
}

async function editDocuments(): Promise<void> {
  const docs = live();
  const choice = randomInt(6);
  if (choice <= 1 && free.size > 0) {
    const pages = [...free].slice(0, 1 + randomInt(3));
    for (const id of pages) free.delete(id);
    announce(await documents.create(pages, { caseNumber: `K-${randomInt(5)}` }));
  } else if (choice === 2 && docs.some((doc) => doc.pages.length >= 2)) {
    const doc = pick(docs.filter((candidate) => candidate.pages.length >= 2));
    const { document, created } = await documents.split(doc.id, 1 + randomInt(doc.pages.length - 1));
    announce(document);
    announce(created);
  } else if (choice === 3 && docs.length >= 2) {
    const [a, b] = [docs[0] as DocumentRecord, docs[1] as DocumentRecord];
    announce(await documents.merge(a.id, [b.id]));
    announce(documents.get(b.id).document);
  } else if (choice === 4 && docs.length > 0) {
    const doc = pick(docs);
    const reversed = [...doc.pages].reverse().map((page) => page.pageId);
    announce(await documents.editPages(doc.id, { op: 'reorder', pageIds: reversed }));
    announce(await documents.editPages(doc.id, { op: 'rotate', pageIds: [pick(reversed)], turn: 90 }));
  } else if (choice === 5 && docs.length > 3) {
    const doc = pick(docs);
    announce(await documents.delete(doc.id));
    for (const page of doc.pages) free.add(page.pageId);
  }
}

for (;;) {
  const step = randomInt(10);
  if (step < 5) await importPage();
  else if (step < 7) await importMultiPageFile();
  else if (step < 9) await writePdf();
  await editDocuments();
}
