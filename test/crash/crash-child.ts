/**
 * The process the crash test kills: opens the archive as the app does (recovering whatever the
 * last kill interrupted), then imports generated pages and edits documents in a loop until it
 * is killed. It prints each change only after it returned, i.e. once the archive confirmed it:
 *   stored <pageId>            a page was imported
 *   document <id> <revision>   a document reached this revision
 */
import { randomBytes, randomInt } from 'node:crypto';
import sharp from 'sharp';
import type { DocumentRecord } from '../../common/api/contract';
import { openSampleArchive } from '../../services/documents/sample-archive';

const root = process.argv[2];
if (!root) throw new Error('usage: crash-child ARCHIVE_DIR');

const say = (line: string) => process.stdout.write(`${line}\n`);
// OCR that takes a little while, so pages are caught pending and resumed after a kill.
const sample = await openSampleArchive(root, () => ({ text: 'x', confidence: 90, languages: 'eng', words: [] }));
const { intake, documents, archive } = sample;
const free = new Set((await archive.listPages(() => {})).map((page) => page.id).filter((id) => !documents.ownerOf(id)));
say('ready');

const announce = (document: DocumentRecord) => say(`document ${document.id} ${document.revision}`);
const live = () => documents.list().filter((document) => !document.deleted);
const pick = <T>(items: readonly T[]): T => items[randomInt(items.length)] as T;

async function importPage(): Promise<void> {
  // Random pixels: every page is new bytes, and big enough (~60 KB) that writes take a moment.
  const pixels = randomBytes(120 * 160 * 3);
  const png = await sharp(pixels, { raw: { width: 120, height: 160, channels: 3 } }).png({ compressionLevel: 1 }).toBuffer();
  const page = await intake.ingest(png, { mimeType: 'image/png' }, { kind: 'import', fileName: `${randomInt(1e9)}.png` });
  free.add(page.id);
  say(`stored ${page.id}`);
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
  await importPage();
  await editDocuments();
}
