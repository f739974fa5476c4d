import { execFile } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateEd25519, signEd25519 } from '../signing/ed25519';
import type { Signer } from '../signing/keystore';
import { makeTestPki } from '../signing/test-pki';
import type { TrustStore } from '../signing/trust-store';
import { scratchDir, testProtector, testSigner, testWorkstation } from './test-batches';

const DOC = path.resolve(import.meta.dirname, '../../docs/verify-without-arkiva.md');

/** The shell commands of the document, exactly as written there: every ```sh block, in order. */
async function documentedCommands(): Promise<string> {
  const blocks = [...(await readFile(DOC, 'utf8')).matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
  if (blocks.length === 0) throw new Error(`${DOC} has no sh blocks`);
  return blocks.join('\n');
}

function runDocumented(script: string, env: { BAG: string; TRUSTED_KEYS: string; INSTITUTION_CA?: string }): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['--norc', '--noprofile', '-e', '-o', 'pipefail', '-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('docs/verify-without-arkiva.md: the openssl commands', () => {
  let script = '';
  let bag = '';
  let trustedKeys = '';
  let clerk: Signer;
  let clerkAsSupervisor: Signer;

  beforeAll(async () => {
    script = await documentedCommands();
    const ws = await testWorkstation(2);
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.krasniqi', expectedPages: 2, pageIds: ws.pages.map((page) => page.id) });
    await ws.service.seal(batch.id, ws.clerk);
    await ws.service.countersign(batch.id, ws.supervisor);
    bag = ws.store.bagDir(batch.id, 1);
    clerk = ws.clerk;
    // The clerk also holds a supervisor's key: trusted as such, but never for her own seals.
    clerkAsSupervisor = await testSigner(ws.keystore, ws.trust, 'arta.krasniqi', 'supervisor');
    trustedKeys = path.join(ws.root, 'trusted-keys.txt');
    await writeFile(trustedKeys, trustedKeyList(ws.trust));
  });

  /** Replaces the supervisor's countersignature by one that `signer` makes over the statement as `edit` changes it. */
  async function recountersign(copy: string, signer: Signer, edit: (statement: string) => string): Promise<void> {
    const file = path.join(copy, 'signatures/02-verified-by-supervisor.txt');
    const statement = edit(await readFile(file, 'utf8'));
    await writeFile(file, statement);
    await writeFile(path.join(copy, 'signatures/02-verified-by-supervisor.pub.pem'), signer.publicKeyPem);
    await writeFile(path.join(copy, 'signatures/02-verified-by-supervisor.sig'), signer.sign(Buffer.from(statement)));
  }

  const asSigner = (signer: Signer) => (statement: string) =>
    statement
      .replace(/^Signer: .*$/m, `Signer: ${signer.displayName}`)
      .replace(/^Signer-Id: .*$/m, `Signer-Id: ${signer.userId}`)
      .replace(/^Key-Id: .*$/m, `Key-Id: ${signer.keyId}`);

  async function copyOf(change: (copy: string) => Promise<void>): Promise<string> {
    const copy = path.join(await scratchDir('doc-bag'), 'seal-1');
    await cp(bag, copy, { recursive: true });
    await change(copy);
    return copy;
  }

  it('accept a sealed, countersigned batch and say who signed it with which intent', async () => {
    const run = await runDocumented(script, { BAG: bag, TRUSTED_KEYS: trustedKeys });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.match(/Signature Verified Successfully/g)).toHaveLength(2);
    expect(run.stdout).toContain('Intent: sealed by clerk');
    expect(run.stdout).toContain('Intent: verified by supervisor');
  });

  it.each([
    ['a byte changed in a page', /original\.png: FAILED/, async (copy: string) => {
      const file = path.join(copy, 'data/pages/0001/original.png');
      const bytes = await readFile(file);
      bytes[100] = (bytes[100] ?? 0) ^ 1;
      await writeFile(file, bytes);
    }],
    ['a file added to data/', /^< data\/pages\/0001\/extra\.txt$/m, (copy: string) => writeFile(path.join(copy, 'data/pages/0001/extra.txt'), 'x')],
    ['bag-info.txt edited', /bag-info\.txt: FAILED/, async (copy: string) => writeFile(path.join(copy, 'bag-info.txt'), `${await readFile(path.join(copy, 'bag-info.txt'), 'utf8')}Note: later\n`)],
    ['a signature replaced', /Signature Verification Failure/, async (copy: string) => {
      const stranger = generateEd25519();
      const statement = await readFile(path.join(copy, 'signatures/01-sealed-by-clerk.txt'));
      await writeFile(path.join(copy, 'signatures/01-sealed-by-clerk.sig'), signEd25519(stranger.privateKey, statement));
    }],
    ['signed by a key the institution does not list', /^signatures\/01-sealed-by-clerk\.txt: key [0-9a-f]{64} is not trusted as clerk$/m, async (copy: string) => {
      const stranger = generateEd25519();
      const file = path.join(copy, 'signatures/01-sealed-by-clerk.txt');
      const statement = (await readFile(file, 'utf8')).replace(/^Key-Id: .*$/m, `Key-Id: ${stranger.keyId}`);
      await writeFile(file, statement);
      await writeFile(path.join(copy, 'signatures/01-sealed-by-clerk.pub.pem'), stranger.publicKeyPem);
      await writeFile(path.join(copy, 'signatures/01-sealed-by-clerk.sig'), signEd25519(stranger.privateKey, Buffer.from(statement)));
    }],
    ['a file added beside the tag files', /^< remarks\.txt$/m, (copy: string) => writeFile(path.join(copy, 'remarks.txt'), 'added later')],
  ])('reject a batch with %s', async (_, output, change) => {
    const run = await runDocumented(script, { BAG: await copyOf(change), TRUSTED_KEYS: trustedKeys });
    expect(run.code).not.toBe(0);
    // Stopped at the failing check: it says what failed, and no signature was reported valid.
    expect(`${run.stdout}${run.stderr}`).toMatch(output);
    expect(run.stdout).not.toContain('Signature Verified Successfully');
  });

  it.each([
    ["the clerk's key signing \"verified by supervisor\" as a supervisor", /: key [0-9a-f]{64} is not trusted as supervisor$/m, () => (copy: string) => recountersign(copy, clerk, (text) => asSigner(clerk)(text))],
    ["the clerk's key signing \"verified by supervisor\" as a clerk", /: a clerk cannot sign "verified by supervisor"$/m, () => (copy: string) => recountersign(copy, clerk, (text) => asSigner(clerk)(text).replace(/^Role: .*$/m, 'Role: clerk'))],
    ['the clerk countersigning her own seal with a supervisor key', /^arta\.krasniqi sealed the batch and cannot also countersign it$/m, () => (copy: string) => recountersign(copy, clerkAsSupervisor, asSigner(clerkAsSupervisor))],
  ])('reject %s', async (_, message, change) => {
    const run = await runDocumented(script, { BAG: await copyOf(change()), TRUSTED_KEYS: trustedKeys });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
  });
});

/** What an institution publishes: one line per trusted key and role, `KEYID ROLE`. */
function trustedKeyList(trust: TrustStore): string {
  return trust
    .list()
    .filter((key) => !key.revokedAt)
    .flatMap((key) => key.roles.map((role) => `${key.keyId} ${role}\n`))
    .join('');
}

describe('docs/verify-without-arkiva.md: the openssl commands, with institution certificates', () => {
  it('accept a batch sealed and countersigned with CMS signatures, and reject one signed under another CA', async () => {
    const script = await documentedCommands();
    const pki = makeTestPki(await scratchDir('doc-pki'));
    const ws = await testWorkstation(1);
    ws.trust.addAuthority({ certificatePem: pki.caPem, displayName: 'Test CA', roles: ['clerk', 'supervisor'] });
    const listed: string[] = [];
    const unlock = async (name: string, userId: string, role: 'clerk' | 'supervisor', rsa = false) => {
      const key = await ws.keystore.importCertificate({ userId, displayName: name, role }, pki.issue(name, { rsa }), testProtector());
      listed.push(`${key.keyId} ${role}\n`);
      return ws.keystore.unlock(key.keyId, testProtector());
    };
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta', expectedPages: 1, pageIds: [ws.pages[0]?.id ?? ''] });
    await ws.service.seal(batch.id, await unlock('Arta Krasniqi', 'arta', 'clerk'));
    await ws.service.countersign(batch.id, await unlock('Milan Petrovic', 'milan', 'supervisor', true));
    const bag = ws.store.bagDir(batch.id, 1);
    const trustedKeys = path.join(ws.root, 'trusted-certificate-keys.txt');
    await writeFile(trustedKeys, listed.join(''));
    const env = { BAG: bag, TRUSTED_KEYS: trustedKeys, INSTITUTION_CA: pki.caFile };

    const run = await runDocumented(script, env);
    expect(run.code).toBe(0);
    expect(run.stderr.match(/CMS Verification successful/g)).toHaveLength(2);
    expect(run.stdout).toContain('Signer: Milan Petrovic');

    const otherCa = path.join(pki.dir, 'other-ca.pem');
    const rejected = await runDocumented(script, { ...env, INSTITUTION_CA: otherCa });
    expect(rejected.code).not.toBe(0);
    expect(rejected.stderr).toMatch(/Verification failure|certificate verify error/);
  });
});
