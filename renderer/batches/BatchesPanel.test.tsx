import { describe, expect, it } from 'vitest';
import type { BatchVerification } from '../../common/api/contract';
import { toCatalogBatch } from '../catalog/batches';
import type { SessionUser } from '../session/SessionContext';
import { batchOf } from '../test-support/batches';
import { pendingPage } from '../test-support/pages';
import { renderStatic } from '../test-support/render';
import { BatchesView } from './BatchesPanel';

const clerk: SessionUser = { userId: 'arta', displayName: 'Arta Krasniqi', role: 'clerk', keyId: 'a'.repeat(64), signedInAt: '2026-12-04T08:00:00.000Z' };
const supervisor: SessionUser = { userId: 'milan', displayName: 'Milan Petrović', role: 'supervisor', keyId: 'b'.repeat(64), signedInAt: '2026-12-04T09:00:00.000Z' };
const seal = { n: 1, bag: 'seal-1', sealedAt: '2026-12-04T08:30:00.000Z', sealedBy: 'arta', keyId: 'a'.repeat(64), tagmanifestSha256: 'c'.repeat(64), payloadOxum: '100.6' };
const act = async () => true;

function view(props: Partial<Parameters<typeof BatchesView>[0]>) {
  return renderStatic(<BatchesView user={null} batches={[]} unbatched={[]} reports={{}} errors={{}} busy={new Set()} onAct={act} onOpen={act} {...props} />);
}
const item = (doc: ReturnType<typeof view>, testId: string) => doc.byTestId(testId);

describe('the batches panel', () => {
  it('lists batches with their state and expected against received pages, and offers nothing to someone not signed in', () => {
    const pages = [pendingPage(), pendingPage()];
    const doc = view({ batches: [toCatalogBatch(batchOf(pages.map((page) => page.id), { title: 'Dosja 2004/12', expectedPages: 3 }))] });
    expect(item(doc, 'batches-sign-in-note')).toHaveLength(1);
    expect(item(doc, 'batch-item')[0]?.attributes['data-state']).toBe('open');
    expect(item(doc, 'batch-item')[0]?.text).toContain('Dosja 2004/12');
    expect(item(doc, 'batch-counts')[0]?.text).toBe('Expected 3, received 2');
    expect(item(doc, 'batch-counts')[0]?.attributes['class']).toBe('inline-error');
    expect(doc.html).not.toContain('data-testid="batch-seal"');
    expect(item(doc, 'batch-open-form')).toHaveLength(0);
  });

  it('lets a clerk open a batch from the unbatched pages, all chosen to begin with, and seal an open one with a passphrase', () => {
    const unbatched = [pendingPage(), pendingPage()];
    const doc = view({ user: clerk, unbatched, batches: [toCatalogBatch(batchOf([unbatched[0]!.id]))] });
    expect(item(doc, 'batch-page-choice').map((choice) => [choice.attributes['data-page-id'], 'checked' in choice.attributes])).toEqual(unbatched.map((page) => [page.id, true]));
    expect(item(doc, 'batch-open-form')[0]?.text).toContain('2 pages go in');
    expect(item(doc, 'batch-passphrase')[0]?.attributes['type']).toBe('password');
    // Nothing typed yet: sealing waits for the passphrase.
    expect(item(doc, 'batch-seal')[0]?.attributes).toHaveProperty('disabled');
  });

  it('shows the supervisor every error and warning of a verification with its code, path and message, and holds the countersignature back', () => {
    const batch = toCatalogBatch(batchOf([pendingPage().id], { state: 'sealed', seals: [seal] }));
    const report: BatchVerification = {
      ok: false,
      seal: 1,
      pages: { expected: 1, received: 1, blank: [1] },
      files: { count: 5, octets: 4096 },
      signatures: [{ file: 'signatures/01-sealed-by-clerk.sig', signer: 'arta', role: 'clerk', valid: true }],
      errors: [{ code: 'manifest-mismatch', path: 'data/pages/0001/original.png', message: 'the file does not match its SHA-256 in manifest-sha256.txt' }],
      warnings: [{ code: 'blank-page', path: 'data/pages/0001', message: 'OCR found page 1 blank' }],
    };
    const doc = view({ user: supervisor, batches: [batch], reports: { [batch.id]: report } });
    expect(item(doc, 'batch-report')[0]?.attributes['data-ok']).toBe('false');
    expect(item(doc, 'batch-report-summary')[0]?.text).toBe('Verification failed: 1 error.');
    expect(item(doc, 'report-problem').map((problem) => [problem.attributes['data-kind'], problem.attributes['data-code'], problem.attributes['data-path'], problem.text])).toEqual([
      ['error', 'manifest-mismatch', 'data/pages/0001/original.png', 'manifest-mismatch data/pages/0001/original.png: the file does not match its SHA-256 in manifest-sha256.txt'],
      ['warning', 'blank-page', 'data/pages/0001', 'blank-page data/pages/0001: OCR found page 1 blank'],
    ]);
    expect(item(doc, 'report-signature')[0]?.text).toBe('Valid signature of arta as clerk (signatures/01-sealed-by-clerk.sig)');
    expect(item(doc, 'batch-countersign')[0]?.attributes).toHaveProperty('disabled');
    expect(item(doc, 'batch-verify')[0]?.attributes).not.toHaveProperty('disabled');
    expect(item(doc, 'batch-reject-reason')).toHaveLength(1);
  });

  it('names the role of each signature in the reader\'s language', () => {
    const batch = toCatalogBatch(batchOf([pendingPage().id], { state: 'sealed', seals: [seal] }));
    const report: BatchVerification = {
      ok: true,
      batchId: batch.id,
      seal: 1,
      pages: { received: 1, blank: [] },
      files: { count: 4, octets: 100 },
      signatures: [
        { file: 'signatures/01-sealed-by-clerk.sig', signer: 'arta', role: 'clerk', valid: true },
        { file: 'signatures/00-workstation.sig', signer: 'ws-1', role: 'workstation', valid: true },
      ],
      errors: [],
      warnings: [],
    };
    const props = { user: supervisor, batches: [batch], unbatched: [], reports: { [batch.id]: report }, errors: {}, busy: new Set<string>(), onAct: act, onOpen: act };
    const doc = renderStatic(<BatchesView {...props} />, undefined, 'sr-Latn');
    expect(doc.byTestId('report-signature').map((signature) => signature.text)).toEqual([
      'Važeći potpis: arta kao službenik (signatures/01-sealed-by-clerk.sig)',
      'Važeći potpis: ws-1 kao radna stanica (signatures/00-workstation.sig)',
    ]);
  });

  it('offers a supervisor no countersignature or rejection of a batch they sealed themselves', () => {
    const batch = toCatalogBatch(batchOf([pendingPage().id], { state: 'sealed', seals: [{ ...seal, sealedBy: 'milan' }] }));
    const doc = view({ user: supervisor, batches: [batch] });
    expect(item(doc, 'batch-verify')).toHaveLength(1);
    expect(item(doc, 'batch-countersign')).toHaveLength(0);
    expect(item(doc, 'batch-reject')).toHaveLength(0);
  });

  it('shows why a batch was rejected, and lets the clerk reopen it', () => {
    const batch = toCatalogBatch(batchOf([pendingPage().id], { state: 'rejected', seals: [seal], rejection: { at: '2026-12-04T10:00:00.000Z', by: 'milan', reason: 'Page 3 is blurred' } }));
    const doc = view({ user: clerk, batches: [batch] });
    expect(item(doc, 'batch-rejection')[0]?.text).toBe('Rejected by milan: Page 3 is blurred');
    expect(item(doc, 'batch-reopen')).toHaveLength(1);
    expect(item(doc, 'batch-seal')).toHaveLength(0);
  });

  it('says beside the batch why an action failed, in words for the person who tried', () => {
    const batch = toCatalogBatch(batchOf([pendingPage().id]));
    const doc = view({ user: clerk, batches: [batch], errors: { [batch.id]: { code: 'unauthenticated', message: 'Sign in first: sealing a batch needs to know who you are.' } } });
    expect(item(doc, 'batch-error')[0]?.attributes['data-code']).toBe('unauthenticated');
    expect(item(doc, 'batch-error')[0]?.text).toBe('Nobody is signed in; sign in first — Sign in first: sealing a batch needs to know who you are.');
  });
});
