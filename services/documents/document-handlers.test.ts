import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames, type PageRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { createDispatcher, type Dispatch, type Handlers } from '../api/dispatcher';
import { createDocumentHandlers } from './document-handlers';
import { importSample, openSampleArchive, type SampleArchive } from './sample-archive';

let root = '';
let sample: SampleArchive;
let pages: PageRecord[];
let dispatch: Dispatch;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'arkiva-document-api-'));
  sample = await openSampleArchive(root);
  pages = [await importSample(sample, 1), await importSample(sample, 2), await importSample(sample, 3)];
  await sample.recognition.idle();
  const others = Object.fromEntries(methodNames.map((name) => [name, async () => { throw new ApiError('not-found', name); }]));
  const handlers: Record<string, unknown> = { ...others, ...createDocumentHandlers(sample.archive, sample.documents) };
  dispatch = createDispatcher(handlers as Handlers, () => {});
}, 60_000);
afterAll(() => rm(root, { recursive: true, force: true }));

async function call(method: string, input: unknown) {
  const result = await dispatch(method, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe('documents over the API', () => {
  it('creates, edits, splits and exports a document through the validated contract', async () => {
    const { document } = await call('documents.create', { pageIds: pages.map((page) => page.id), metadata: { caseNumber: '2020/11', sensitivity: 'restricted', persons: ['Vjosa Berisha'] } });
    expect(document.metadata).toEqual({ caseNumber: '2020/11', sensitivity: 'restricted', persons: ['Vjosa Berisha'], tags: [] });
    const turned = await call('documents.editPages', { documentId: document.id, expectedRevision: 1, edit: { op: 'rotate', pageIds: [pages[0]!.id], turn: 180 } });
    expect(turned.document.pages[0].rotation).toBe(180);
    const split = await call('documents.splitPages', { documentId: document.id, at: 2 });
    expect(split.created.pages).toHaveLength(1);
    const { history } = await call('documents.get', { documentId: document.id });
    expect(history.map((change: { action: string }) => change.action)).toEqual(['create', 'rotate', 'split']);

    const pdf = await call('documents.exportPdf', { documentId: document.id });
    expect(pdf.fileName).toBe(`2020-11-${document.id.slice(0, 8)}.pdf`);
    expect(Buffer.from(pdf.dataBase64, 'base64').subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');

    const rebuilt = await call('archive.rebuild', {});
    expect(rebuilt.pages).toHaveLength(3);
    expect(rebuilt.documents.map((doc: { id: string }) => doc.id).sort()).toEqual([document.id, split.created.id].sort());
    expect(rebuilt.unreadable).toEqual([]);
    expect(await call('archive.checkFixity', {})).toMatchObject({ ok: true, problems: [] });
  });

  it('rejects bad input at the boundary and stale edits with a reason', async () => {
    expect(await dispatch('documents.create', { pageIds: [] })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await dispatch('documents.update', { documentId: 'nope', metadata: {} })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await dispatch('documents.update', { documentId: '0d7c55a4-3b1e-4b8f-9a51-6f0f1d2c3b4a', metadata: { date: '22.11.2026' } })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    // The document split off in the test above holds page 3.
    const document = sample.documents.get(sample.documents.ownerOf(pages[2]!.id) as string).document;
    const stale = await dispatch('documents.update', { documentId: document.id, expectedRevision: document.revision + 5, metadata: { title: 'x' } });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', details: { reason: 'stale-revision' } } });
  });
});
