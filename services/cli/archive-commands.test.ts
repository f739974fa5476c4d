import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRecord, PageRecord } from '../../common/api/contract';
import { DISPLAY_IMAGE } from '../pages/page-intake';
import { importSample, openSampleArchive, SAMPLE_WORDS, type SampleArchive } from '../documents/sample-archive';
import { startBatchServices } from '../batches/batch-services';
import { commands } from './commands';
import { runCli } from './run-cli';

async function arkiva(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) }, commands);
  return { code, stdout, stderr };
}

function run(command: string, args: string[], cwd?: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd }, (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }));
  });
}

let scratch = '';
let root = '';
let sample: SampleArchive;
let pages: PageRecord[];
let report: DocumentRecord;
let photos: DocumentRecord;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'arkiva-archive-cli-'));
  root = path.join(scratch, 'archive');
  sample = await openSampleArchive(root);
  // As the app does at its first start: the workstation key that signs the audit trail.
  await startBatchServices({ archiveDir: root, archive: sample.archive, bus: sample.bus });
  pages = [];
  for (let seed = 0; seed < 4; seed += 1) pages.push(await importSample(sample, seed, { gray: seed === 3 }));
  await sample.recognition.idle();
  report = await sample.documents.create([pages[0]!.id, pages[1]!.id, pages[3]!.id], { caseNumber: '2019/0457-IML', documentType: 'Autopsy report' });
  photos = await sample.documents.create([pages[2]!.id], { caseNumber: '2019/0457-IML', documentType: 'Photographs' });
  await sample.documents.editPages(report.id, { op: 'rotate', pageIds: [pages[1]!.id], turn: 90 });
}, 60_000);
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('arkiva fixity', () => {
  it('reports an intact archive and exits 0', async () => {
    const result = await arkiva('fixity', root);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^OK: 4 originals, 4 derived files, 4 page records, 3 document revisions \([\d.]+ MB hashed\); 0 problem\(s\), 0 note\(s\)\n$/);
  });

  it('names a changed original, a missing display copy and a stray file, and exits 1', async () => {
    const copy = path.join(scratch, 'damaged');
    await run('cp', ['-a', root, copy]);
    const original = path.join(copy, 'originals', pages[0]!.id.slice(0, 2), `${pages[0]!.id}.png`);
    const bytes = await readFile(original);
    const at = bytes.length - 20;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at); // flipped bits, as bit rot would
    await writeFile(original, bytes);
    await rm(path.join(copy, 'derived', pages[1]!.id.slice(0, 2), pages[1]!.id, DISPLAY_IMAGE));
    await writeFile(path.join(copy, 'pages', 'notes.txt'), 'left by someone');

    const result = await arkiva('fixity', copy);
    expect(result.code).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toContain(`CHANGED    originals/${pages[0]!.id.slice(0, 2)}/${pages[0]!.id}.png: content hashes to ${(/hashes to ([0-9a-f]{64})/.exec(result.stdout) ?? [])[1]}, not to its name`);
    expect(lines).toContain(`MISSING    derived/${pages[1]!.id.slice(0, 2)}/${pages[1]!.id}/${DISPLAY_IMAGE}: derived file named by its page record is missing`);
    expect(lines).toContain('UNEXPECTED pages/notes.txt: not part of the archive layout');
    expect(lines.at(-1)).toMatch(/^FAILED: .* 3 problem\(s\)/);

    const json = await arkiva('fixity', '--json', copy);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problems: expect.arrayContaining([expect.objectContaining({ kind: 'changed' })]) });
  });

  it('exits 2 for a folder that is not an archive, or no folder', async () => {
    expect(await arkiva('fixity', scratch)).toMatchObject({ code: 2, stderr: expect.stringContaining('is not an Arkiva archive') });
    expect((await arkiva('fixity')).code).toBe(2);
  });
});

describe('arkiva pdf and export', () => {
  it('writes a document as a searchable PDF/A that qpdf accepts', async () => {
    const out = path.join(scratch, 'report.pdf');
    const result = await arkiva('pdf', '--archive', root, report.id.slice(0, 8), '--out', out);
    expect(result.stderr).toMatch(/wrote .*report\.pdf \(3 page\(s\)/);
    expect(result.code).toBe(0);
    expect((await run('qpdf', ['--check', out])).code).toBe(0);
    const text = (await run('pdftotext', [out, '-'])).stdout;
    expect(text.split('\f').slice(0, 3).map((page) => page.trim())).toEqual(Array(3).fill(SAMPLE_WORDS.join(' ')));
    const info = (await run('pdfinfo', ['-f', '1', '-l', '3', out])).stdout;
    expect(info).toMatch(/Page\s+2 rot:\s+90/);
    expect(info).toMatch(/Title:\s+Autopsy report 2019\/0457-IML/);
  });

  it('exports a whole case as PDFs, and as originals with metadata and a manifest sha256sum verifies', async () => {
    const pdfs = path.join(scratch, 'case-pdf');
    const result = await arkiva('export', '--archive', root, '--case', '2019/0457-iml', '--out', pdfs);
    expect(result.code).toBe(0);
    expect((await readdir(pdfs)).sort()).toEqual([`2019-0457-IML-${photos.id.slice(0, 8)}.pdf`, `2019-0457-IML-${report.id.slice(0, 8)}.pdf`].sort());

    const originals = path.join(scratch, 'case-originals');
    expect((await arkiva('export', '--archive', root, '--document', report.id, '--format', 'originals', '--out', originals)).code).toBe(0);
    const folder = path.join(originals, `2019-0457-IML-${report.id.slice(0, 8)}`);
    expect((await readdir(folder)).sort()).toEqual(
      ['document.json', 'manifest-sha256.txt', `page-001-${pages[0]!.id}.png`, `page-002-${pages[1]!.id}.png`, `page-003-${pages[3]!.id}.png`].sort(),
    );
    const check = await run('sha256sum', ['-c', 'manifest-sha256.txt'], folder);
    expect(check.code).toBe(0);
    const metadata = JSON.parse(await readFile(path.join(folder, 'document.json'), 'utf8')) as { document: DocumentRecord; history: unknown[]; pages: { rotation: number }[] };
    expect(metadata.document.metadata.caseNumber).toBe('2019/0457-IML');
    expect(metadata.history).toHaveLength(2);
    expect(metadata.pages.map((page) => page.rotation)).toEqual([0, 90, 0]);
  });

  it("records every export in the archive's audit trail, in the name of the operating-system user", async () => {
    const out = path.join(scratch, 'audited');
    expect((await arkiva('export', '--archive', root, '--document', photos.id, '--out', out)).code).toBe(0);
    const trail = (await readFile(path.join(root, 'audit', 'audit.log'), 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { kind: string; actor: string; subject: string; details: { format: string; to: string } });
    const exported = trail.filter((entry) => entry.kind === 'export' && entry.details.to.startsWith(out));
    expect(exported).toEqual([expect.objectContaining({ actor: userInfo().username, subject: photos.id, details: expect.objectContaining({ format: 'pdf', via: 'arkiva export' }) })]);
    expect((await arkiva('audit', 'verify', '--trust', path.join(root, 'signing', 'trust-store.json'), path.join(root, 'audit', 'audit.log'))).code).toBe(0);
  });

  it('exports nothing from an archive whose audit trail it cannot sign, and says why', async () => {
    const copy = path.join(scratch, 'no-workstation-key');
    await run('cp', ['-a', root, copy]);
    await rm(path.join(copy, 'signing'), { recursive: true });
    const out = path.join(scratch, 'unaudited');
    const result = await arkiva('export', '--archive', copy, '--document', photos.id, '--out', out);
    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining("cannot open the archive's audit trail, so nothing was exported: the archive has no workstation key yet") });
    await expect(stat(out)).rejects.toThrow();
  });

  it('refuses a page changed on disk or missing, says which, and writes nothing', async () => {
    const copy = path.join(scratch, 'tampered');
    await run('cp', ['-a', root, copy]);
    const original = path.join(copy, 'originals', pages[1]!.id.slice(0, 2), `${pages[1]!.id}.png`);
    await writeFile(original, Buffer.concat([await readFile(original), Buffer.from('x')]));
    const out = path.join(scratch, 'tampered.pdf');
    const changed = await arkiva('pdf', '--archive', copy, report.id, '--out', out);
    expect(changed.code).toBe(1);
    expect(changed.stderr).toContain(`arkiva pdf: The original of page ${pages[1]!.id} has changed on disk`);
    await expect(stat(out)).rejects.toThrow();

    await rm(original);
    const missing = await arkiva('export', '--archive', copy, '--document', report.id, '--out', path.join(scratch, 'tampered-export'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`The original of page ${pages[1]!.id} is missing from the archive`);
    expect(await readdir(path.join(scratch, 'tampered-export'))).toEqual([]);

    const unrecorded = path.join(scratch, 'unrecorded');
    await run('cp', ['-a', root, unrecorded]);
    await rm(path.join(unrecorded, 'pages', pages[3]!.id.slice(0, 2), `${pages[3]!.id}.json`));
    const noRecord = await arkiva('pdf', '--archive', unrecorded, report.id, '--out', out);
    expect(noRecord.code).toBe(1);
    expect(noRecord.stderr).toContain(`Page 3 of the document (${pages[3]!.id}) has no page record in the archive`);
  });

  it('answers a wrong command line with exit 2 and an unknown document with exit 1', async () => {
    expect((await arkiva('pdf', '--archive', root, report.id)).code).toBe(2);
    expect((await arkiva('export', '--archive', root, '--out', scratch)).code).toBe(2);
    expect(await arkiva('pdf', '--archive', root, 'ffffffff-0000', '--out', path.join(scratch, 'x.pdf'))).toMatchObject({
      code: 1,
      stderr: 'arkiva pdf: No document ffffffff-0000 in the archive.\n',
    });
  });
});
