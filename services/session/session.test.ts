import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, type EventName, type MethodName, type MethodOutput, type PageRecord } from '../../common/api/contract';
import { callMethod } from '../../test/support/call-method';
import { ArchiveStore } from '../archive/archive-store';
import { startAppServices, type AppServices } from '../app-services';
import { sampleOcr, samplePage } from '../documents/sample-archive';
import { DISPLAY_IMAGE } from '../pages/page-intake';
import { makeTestPki } from '../signing/test-pki';
import { TrustStore } from '../signing/trust-store';

// Sign-in, certificates and what the services audit on their own, through the app's dispatcher
// as either host calls it.

const PASS = { clerk: 'arta-passphrase-1', certificate: 'vjosa-passphrase-3' };

let services: AppServices;
let work: string;
let archiveDir: string;

/** What an administrator does with `arkiva trust`: the app never trusts a key it merely holds. */
async function administer(change: (trust: TrustStore) => void): Promise<void> {
  const trust = await TrustStore.open(path.join(archiveDir, 'signing', 'trust-store.json'));
  change(trust);
  await trust.save();
}
let page: PageRecord;
const heard: { event: EventName; payload: unknown }[] = [];

beforeAll(async () => {
  process.env.ARKIVA_ESCL_DISCOVERY = 'off';
  work = await mkdtemp(path.join(tmpdir(), 'arkiva-session-'));
  archiveDir = path.join(work, 'archive');
  // One recognised page already in the archive, so a document can be made and exported.
  const archive = await ArchiveStore.open(archiveDir);
  const image = await samplePage(1);
  const { id } = await archive.putOriginal(image, 'image/png');
  await archive.putDerived(id, DISPLAY_IMAGE, image);
  page = { id, source: { kind: 'import', fileName: 'raport.png' }, capturedAt: new Date().toISOString(), originalMimeType: 'image/png', width: 850, height: 1100, status: 'recognized', ocr: sampleOcr() };
  await archive.savePage(page);
  services = await startAppServices({ host: 'local', archiveDir });
  services.bus.subscribe((event, payload) => heard.push({ event, payload }));
});
afterAll(async () => {
  await services?.close();
  await rm(work, { recursive: true, force: true });
});

// Every answer is checked against the contract, as the renderer's client does.
const call = async <M extends MethodName>(method: M, input: unknown): Promise<MethodOutput<M>> =>
  methods[method].output.parse(await callMethod(services.dispatch, method, input)) as MethodOutput<M>;
const trail = async () => (await call('audit.list', {})).entries.map(({ kind, actor, subject, details }) => ({ kind, actor, subject, event: details?.['event'] }));

describe('sign-in at the workstation', () => {
  let clerkKey = '';
  let clerkPem = '';

  it('starts with nobody signed in', async () => {
    expect(await call('session.get', {})).toEqual({ user: null });
  });

  it('refuses a wrong passphrase as unauthorized, records the attempt, and signs nobody in', async () => {
    const { key, publicKeyPem } = await call('signing.createKey', { userId: 'arta', displayName: 'Arta Krasniqi', role: 'clerk', passphrase: PASS.clerk });
    clerkKey = key.keyId;
    clerkPem = publicKeyPem;
    await expect(call('session.signIn', { keyId: clerkKey, passphrase: 'not her passphrase' })).rejects.toMatchObject({ code: 'unauthorized', message: 'Wrong passphrase for this key.' });
    await expect(call('session.signIn', { keyId: 'c'.repeat(64), passphrase: PASS.clerk })).rejects.toMatchObject({ code: 'not-found' });
    expect(await call('session.get', {})).toEqual({ user: null });
    expect((await trail()).at(-1)).toEqual({ kind: 'sign-in', actor: 'workstation', subject: 'arta', event: 'failed' });
  });

  it('refuses the right passphrase of a key the trust store does not recognise, in its role and unrevoked', async () => {
    const refused = (reason: string) => ({ code: 'unauthorized', message: expect.stringMatching(new RegExp(`cannot be used for sign-in: .*${reason}`)) });
    await expect(call('session.signIn', { keyId: clerkKey, passphrase: PASS.clerk })).rejects.toMatchObject(refused('is not in the trust store'));
    expect((await trail()).at(-1)).toEqual({ kind: 'sign-in', actor: 'workstation', subject: 'arta', event: 'failed' });

    const besa = await call('signing.createKey', { userId: 'besa', displayName: 'Besa Gashi', role: 'clerk', passphrase: PASS.clerk });
    await administer((trust) => trust.add({ publicKeyPem: besa.publicKeyPem, userId: 'besa', displayName: 'Besa Gashi', roles: ['supervisor'] }));
    await expect(call('session.signIn', { keyId: besa.key.keyId, passphrase: PASS.clerk })).rejects.toMatchObject(refused('not as clerk'));
    await administer((trust) => trust.revoke(besa.key.keyId, 'registered in the wrong role'));
    await expect(call('session.signIn', { keyId: besa.key.keyId, passphrase: PASS.clerk })).rejects.toMatchObject(refused('revoked'));
    expect(await call('session.get', {})).toEqual({ user: null });

    await administer((trust) => trust.add({ publicKeyPem: clerkPem, userId: 'arta', displayName: 'Arta Krasniqi', roles: ['clerk'] }));
  });

  it('signs in with the right passphrase, tells every window, and audits it', async () => {
    const session = await call('session.signIn', { keyId: clerkKey, passphrase: PASS.clerk });
    expect(session.user).toMatchObject({ userId: 'arta', displayName: 'Arta Krasniqi', role: 'clerk', keyId: clerkKey });
    expect(await call('session.get', {})).toEqual(session);
    expect(heard.filter(({ event }) => event === 'session.changed').map(({ payload }) => payload)).toEqual([session]);
    expect((await trail()).at(-1)).toEqual({ kind: 'sign-in', actor: 'arta', subject: undefined, event: 'sign-in' });
  });

  it('attributes what the signed-in clerk does: a view, a search, an exported PDF', async () => {
    await call('audit.record', { kind: 'view', subject: page.id });
    await call('audit.record', { kind: 'search', subject: 'Rasti', details: { results: 1 } });
    const { document } = await call('documents.create', { pageIds: [page.id], metadata: { title: 'Raport' } });
    const pdf = await call('documents.exportPdf', { documentId: document.id });
    expect(Buffer.from(pdf.dataBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const entries = (await call('audit.list', {})).entries;
    expect(entries.filter((entry) => ['view', 'search', 'export', 'edit'].includes(entry.kind)).map(({ kind, actor, subject }) => [kind, actor, subject])).toEqual([
      ['view', 'arta', page.id],
      ['search', 'arta', 'Rasti'],
      ['edit', 'arta', document.id],
      ['export', 'arta', document.id],
    ]);
    expect(entries.at(-1)?.details).toMatchObject({ format: 'pdf', revision: 1 });
  });

  it('signs out everywhere; afterwards reading is the workstation\'s and batch work is refused', async () => {
    expect(await call('session.signOut', {})).toEqual({ user: null });
    expect(heard.filter(({ event }) => event === 'session.changed').at(-1)?.payload).toEqual({ user: null });
    expect((await trail()).at(-1)).toEqual({ kind: 'sign-in', actor: 'arta', subject: undefined, event: 'sign-out' });
    await call('audit.record', { kind: 'view', subject: page.id });
    expect((await trail()).at(-1)).toMatchObject({ kind: 'view', actor: 'workstation' });
    await expect(call('batches.open', { title: 'Dosja', pageIds: [page.id] })).rejects.toMatchObject({ code: 'unauthenticated' });
    expect((await call('audit.verify', {})).ok).toBe(true);
  });
});

describe('signing.importCertificate', () => {
  it('keeps an institution-issued certificate and key, and its holder can sign in with the passphrase chosen for it', async () => {
    const pki = makeTestPki(await mkdtemp(path.join(work, 'pki-')));
    const issued = pki.issue('vjosa');
    const { key } = await call('signing.importCertificate', { userId: 'vjosa', displayName: 'Vjosa Berisha', role: 'supervisor', certificatePem: issued.certificatePem, privateKeyPem: issued.privateKeyPem, passphrase: PASS.certificate });
    expect(key).toMatchObject({ userId: 'vjosa', role: 'supervisor', trusted: false });
    expect((await call('signing.listKeys', {})).keys.map((listed) => listed.keyId)).toContain(key.keyId);
    // Trusted through the institution's CA, as verification trusts the certificate's signatures.
    await expect(call('session.signIn', { keyId: key.keyId, passphrase: PASS.certificate })).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringContaining('does not chain') });
    await administer((trust) => trust.addAuthority({ certificatePem: pki.caPem, displayName: 'Institute CA', roles: ['supervisor'] }));
    expect((await call('session.signIn', { keyId: key.keyId, passphrase: PASS.certificate })).user).toMatchObject({ userId: 'vjosa', role: 'supervisor' });
    await call('session.signOut', {});
  });

  it('refuses a key that is not the certificate\'s, or text that is no certificate, and keeps nothing', async () => {
    const pki = makeTestPki(await mkdtemp(path.join(work, 'pki-')));
    const one = pki.issue('one');
    const other = pki.issue('other');
    const before = (await call('signing.listKeys', {})).keys.length;
    await expect(
      call('signing.importCertificate', { userId: 'one', displayName: 'One', role: 'clerk', certificatePem: one.certificatePem, privateKeyPem: other.privateKeyPem, passphrase: PASS.certificate }),
    ).rejects.toMatchObject({ code: 'bad-request', message: expect.stringContaining('does not belong to the certificate') });
    await expect(
      call('signing.importCertificate', { userId: 'one', displayName: 'One', role: 'clerk', certificatePem: 'not a certificate', privateKeyPem: one.privateKeyPem, passphrase: PASS.certificate }),
    ).rejects.toMatchObject({ code: 'bad-request' });
    await expect(call('signing.importCertificate', { userId: 'one', displayName: 'One', role: 'clerk', certificatePem: one.certificatePem, privateKeyPem: one.privateKeyPem, passphrase: 'short' })).rejects.toMatchObject({
      code: 'bad-request',
    });
    expect((await call('signing.listKeys', {})).keys).toHaveLength(before);
  });
});
