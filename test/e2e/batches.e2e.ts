// A clerk and a supervisor at one workstation, in headless Chromium on the local host: sign in with
// their own keys, batch pages, seal, verify, countersign; a bag tampered on disk is caught by the
// verification, named in the report, and rejected. Then the audit trail must say who did what.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { repoRoot } from '../../build/electron-binary';
import { ArchiveStore } from '../../services/archive/archive-store';
import { verifyAuditLog } from '../../services/audit/verify-audit-log';
import { sampleOcr, samplePage } from '../../services/documents/sample-archive';
import { DISPLAY_IMAGE } from '../../services/pages/page-intake';
import { Keystore } from '../../services/signing/keystore';
import { passphraseProtector } from '../../services/signing/protect-secret';
import { TrustStore } from '../../services/signing/trust-store';
import { launchChromium } from './support/chromium';
import { startLocalHostProcess, type RunningLocalHost } from './support/local-host-process';

const PHOTOTEST = path.resolve(repoRoot, '../shared/fixtures/ocr/phototest.tif');
const SCREENSHOTS = path.join(repoRoot, 'test-results', 'e2e');
const CLERK = { userId: 'arta', displayName: 'Arta Krasniqi', role: 'clerk', passphrase: 'arta-passphrase-2026' } as const;
const SUPERVISOR = { userId: 'milan', displayName: 'Milan Petrović', role: 'supervisor', passphrase: 'milan-passphrase-2026' } as const;

let host: RunningLocalHost;
let browser: Browser;
let page: Page;
const seededPages: string[] = [];

/**
 * What an administrator would have done before: each person's key made on this workstation (with
 * the services' own Keystore, at the app's passphrase cost) and registered in the trust store; and
 * two recognised pages already in the archive, scanned before anyone signed in.
 */
async function seed(archiveDir: string): Promise<void> {
  const keystore = new Keystore(path.join(archiveDir, 'signing', 'keys'));
  const trust = await TrustStore.open(path.join(archiveDir, 'signing', 'trust-store.json'));
  for (const person of [CLERK, SUPERVISOR]) {
    const key = await keystore.create({ userId: person.userId, displayName: person.displayName, role: person.role }, passphraseProtector(person.passphrase));
    trust.add({ publicKeyPem: key.publicKeyPem, userId: person.userId, displayName: person.displayName, roles: [person.role] });
  }
  await trust.save();
  const archive = await ArchiveStore.open(archiveDir);
  for (const seed of [1, 2]) {
    const image = await samplePage(seed);
    const { id } = await archive.putOriginal(image, 'image/png');
    await archive.putDerived(id, DISPLAY_IMAGE, image);
    await archive.savePage({
      id,
      source: { kind: 'scan', deviceId: 'sane:test:0', settings: { source: 'adf', resolution: 300, mode: 'gray' }, operator: 'workstation' },
      capturedAt: new Date(Date.UTC(2026, 11, 1, 9, seed)).toISOString(),
      originalMimeType: 'image/png',
      width: 850,
      height: 1100,
      status: 'recognized',
      ocr: sampleOcr(),
    });
    seededPages.push(id);
  }
}

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  host = await startLocalHostProcess({ prepare: seed });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.on('pageerror', (error) => console.error('page error:', error.message));
  await page.goto(host.url);
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

async function signIn(on: Page, person: { userId: string; displayName: string; passphrase: string }) {
  await on.getByTestId('sign-in-open').click();
  const key = on.getByTestId('sign-in-key');
  await key.locator('option').first().waitFor({ state: 'attached' });
  await key.selectOption({ label: `${person.displayName} (${person.userId}), ${person.userId === CLERK.userId ? 'clerk' : 'supervisor'}` });
  await on.getByTestId('sign-in-passphrase').fill(person.passphrase);
  await on.getByTestId('sign-in-button').click();
  await expect.poll(() => on.getByTestId('session-user').textContent().catch(() => null)).toContain(person.displayName);
}

async function signOut(on: Page) {
  await on.getByTestId('sign-out').click();
  await on.getByTestId('sign-in-open').waitFor();
}

const batchItem = (title: string) => page.locator('[data-testid="batch-item"]', { hasText: title });

async function openBatch(title: string, expected: number, pageIds: readonly string[]): Promise<string> {
  const form = page.getByTestId('batch-open');
  if ((await form.getAttribute('open')) === null) await form.locator('summary').click();
  await page.getByTestId('batch-title').fill(title);
  await page.getByTestId('batch-expected').fill(String(expected));
  const choices = page.getByTestId('batch-page-choice');
  for (let index = 0; index < (await choices.count()); index += 1) {
    const choice = choices.nth(index);
    await choice.setChecked(pageIds.includes((await choice.getAttribute('data-page-id')) ?? ''));
  }
  await page.getByTestId('batch-open-button').click();
  // The batch is opened, then its pages added: each change arrives as its own batch.changed.
  await expect.poll(() => batchItem(title).getByTestId('batch-counts').getAttribute('data-received').catch(() => null)).toBe(String(pageIds.length));
  return (await batchItem(title).getAttribute('data-batch-id')) ?? '';
}

async function act(title: string, button: string, state: string, passphrase?: string) {
  const item = batchItem(title);
  if (passphrase !== undefined) await item.getByTestId('batch-passphrase').fill(passphrase);
  await item.getByTestId(button).click();
  await expect.poll(() => item.getAttribute('data-state'), { timeout: 60_000 }).toBe(state);
}

interface AuditLine {
  kind: string;
  actor: string;
  subject?: string;
  details?: Record<string, unknown>;
}
async function auditTrail(): Promise<AuditLine[]> {
  return (await readFile(path.join(host.archiveDir, 'audit', 'audit.log'), 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditLine);
}

let phototestId = '';
let firstBatch = '';
let secondBatch = '';

describe('batches, signed by the people who handle them, in headless Chromium', () => {
  it('offers no batch work to nobody, and signs the clerk in with her own key', async () => {
    await page.getByTestId('batches-sign-in-note').waitFor();
    await signIn(page, CLERK);
    expect(await page.getByTestId('session-control').getAttribute('data-role')).toBe('clerk');
    await page.getByTestId('batch-open').waitFor();
  });

  it('shares the one session with every tab of the workstation', async () => {
    const other = await browser.newPage();
    await other.goto(host.url);
    await expect.poll(() => other.getByTestId('session-user').textContent().catch(() => null)).toContain(CLERK.displayName);
    await other.close();
  });

  it('imports phototest in the clerk\'s name, finds it and opens it', async () => {
    await page.getByTestId('import-input').setInputFiles(PHOTOTEST);
    const imported = page.locator('[data-testid="page-item"][data-status="recognized"]', { hasText: 'phototest.tif' });
    await imported.waitFor({ timeout: 120_000 });
    phototestId = (await imported.getAttribute('data-page-id')) ?? '';
    const record = JSON.parse(await readFile(path.join(host.archiveDir, 'pages', phototestId.slice(0, 2), `${phototestId}.json`), 'utf8')) as { source: { operator?: string } };
    expect(record.source.operator).toBe(CLERK.userId);

    await page.getByTestId('search-input').fill('brown');
    const result = page.getByTestId('search-result').first();
    await result.waitFor();
    // The query settles, then the search is recorded once in the audit trail.
    await expect
      .poll(async () => (await auditTrail()).filter((entry) => entry.kind === 'search').map((entry) => entry.subject), { timeout: 15_000 })
      .toEqual(['brown']);
    await result.click();
    await page.getByTestId('page-viewer').locator('img').waitFor();
  });

  it('opens a batch of chosen pages, shows expected against received, and seals it with the clerk\'s passphrase', async () => {
    firstBatch = await openBatch('Dosja 2004/12', 2, [phototestId, seededPages[0]!]);
    expect(await batchItem('Dosja 2004/12').getByTestId('batch-counts').textContent()).toBe('Expected 2, received 2');
    await act('Dosja 2004/12', 'batch-seal', 'sealed', CLERK.passphrase);

    secondBatch = await openBatch('Dosja 2005/03', 1, [seededPages[1]!]);
    await act('Dosja 2005/03', 'batch-seal', 'sealed', CLERK.passphrase);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'batches-sealed-by-clerk.png'), fullPage: true });

    const custody = JSON.parse(await readFile(path.join(host.archiveDir, 'batches', firstBatch, 'seal-1', 'custody', '0001.json'), 'utf8')) as { pageId: string; operator: string; addedBy: string };
    const phototestCustody = custody.pageId === phototestId ? custody : (JSON.parse(await readFile(path.join(host.archiveDir, 'batches', firstBatch, 'seal-1', 'custody', '0002.json'), 'utf8')) as typeof custody);
    expect(phototestCustody).toMatchObject({ pageId: phototestId, operator: CLERK.userId, addedBy: CLERK.userId });
  });

  it('lets the supervisor verify a sealed batch, read a clean report, and countersign it', async () => {
    await signOut(page);
    await signIn(page, SUPERVISOR);
    const item = batchItem('Dosja 2004/12');
    await item.getByTestId('batch-verify').click();
    const report = item.getByTestId('batch-report');
    await report.waitFor();
    expect(await report.getAttribute('data-ok')).toBe('true');
    expect(await item.getByTestId('report-problem').count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'batches-verified-report.png'), fullPage: true });
    await act('Dosja 2004/12', 'batch-countersign', 'verified', SUPERVISOR.passphrase);
    await act('Dosja 2004/12', 'batch-queue', 'queued');
  });

  it('names the tampered file of a bag in the verification report, and rejects the batch with a reason', async () => {
    const bagFiles = path.join(host.archiveDir, 'batches', secondBatch, 'seal-1', 'data', 'pages', '0001');
    const original = (await readdir(bagFiles)).find((name) => name.startsWith('original.'));
    expect(original).toBeDefined();
    const file = path.join(bagFiles, original!);
    const bytes = await readFile(file);
    bytes.writeUInt8(bytes.readUInt8(100) ^ 0x01, 100);
    await writeFile(file, bytes);

    const item = batchItem('Dosja 2005/03');
    await item.getByTestId('batch-verify').click();
    const report = item.getByTestId('batch-report');
    await report.waitFor();
    expect(await report.getAttribute('data-ok')).toBe('false');
    const tampered = `data/pages/0001/${original}`;
    await expect.poll(() => item.locator(`[data-testid="report-problem"][data-kind="error"][data-path="${tampered}"]`).count()).toBeGreaterThan(0);
    expect(await item.getByTestId('batch-countersign').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'batches-tampered-report.png'), fullPage: true });

    await item.getByTestId('batch-reject-reason').fill(`The bag changed after sealing: ${tampered}`);
    await act('Dosja 2005/03', 'batch-reject', 'rejected', SUPERVISOR.passphrase);
    expect(await item.getByTestId('batch-rejection').textContent()).toContain('Rejected by milan: The bag changed after sealing');
  });

  it('lets the clerk reopen the rejected batch, and says beside it when her passphrase is wrong', async () => {
    await signOut(page);
    await signIn(page, CLERK);
    const item = batchItem('Dosja 2005/03');
    await item.getByTestId('batch-reopen').click();
    await expect.poll(() => item.getAttribute('data-state')).toBe('open');
    expect(await item.getByTestId('batch-report').count()).toBe(0); // the rejected seal's report is history now
    await item.getByTestId('batch-passphrase').fill('not-arta-passphrase');
    await item.getByTestId('batch-seal').click();
    const error = item.getByTestId('batch-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('unauthorized');
    expect(await error.textContent()).toContain('Wrong passphrase');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'batches-reopened-wrong-passphrase.png'), fullPage: true });
  });

  it('holds in the audit trail who signed in, sealed, verified, countersigned, rejected, viewed and searched', async () => {
    const trail = await auditTrail();
    const who = (kind: string, filter: (entry: AuditLine) => boolean = () => true) => trail.filter((entry) => entry.kind === kind && filter(entry)).map((entry) => entry.actor);
    expect(who('sign-in', (entry) => entry.details?.['event'] === 'sign-in')).toEqual(['arta', 'milan', 'arta']);
    expect(who('sign-in', (entry) => entry.details?.['event'] === 'sign-out')).toEqual(['arta', 'milan']);
    expect(who('sign-in', (entry) => entry.details?.['event'] === 'failed')).toEqual(['arta']);
    expect(trail.filter((entry) => entry.kind === 'seal').map((entry) => [entry.actor, entry.subject])).toEqual([
      ['arta', firstBatch],
      ['arta', secondBatch],
    ]);
    expect(trail.filter((entry) => entry.kind === 'verify').map((entry) => [entry.actor, entry.subject, entry.details?.['ok']])).toEqual([
      ['milan', firstBatch, true],
      ['milan', secondBatch, false],
    ]);
    expect(trail.filter((entry) => entry.kind === 'countersign').map((entry) => [entry.actor, entry.subject])).toEqual([['milan', firstBatch]]);
    expect(trail.filter((entry) => entry.kind === 'reject').map((entry) => [entry.actor, entry.subject])).toEqual([['milan', secondBatch]]);
    expect(trail.filter((entry) => entry.kind === 'view').map((entry) => [entry.actor, entry.subject])).toEqual([['arta', phototestId]]);
    expect(trail.filter((entry) => entry.kind === 'search').map((entry) => [entry.actor, entry.subject])).toEqual([['arta', 'brown']]);
    expect(trail.find((entry) => entry.kind === 'scan' && entry.subject === phototestId)?.actor).toBe('arta');

    // The chain holds, signed by the workstation key the trust store knows.
    const verified = await verifyAuditLog(path.join(host.archiveDir, 'audit', 'audit.log'), await TrustStore.open(path.join(host.archiveDir, 'signing', 'trust-store.json')));
    expect(verified).toMatchObject({ ok: true, entries: trail.length });
  });
});
