import { execFile } from 'node:child_process';
import { appendFile, cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../audit/audit-log';
import { scratchDir, testSigner, testWorkstation } from '../batches/test-batches';
import { generateEd25519, signEd25519 } from '../signing/ed25519';
import { Keystore } from '../signing/keystore';
import { EXIT, type CliIo } from './command';
import { commands } from './commands';
import { runCli } from './run-cli';

const SUITE = path.resolve(import.meta.dirname, '../../../shared/fixtures/bagit-conformance');
const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

async function arkiva(...args: string[]) {
  const io: CliIo & { out: string; err: string } = { out: '', err: '', stdout: (text) => void (io.out += text), stderr: (text) => void (io.err += text) };
  const code = await runCli(args, io, commands);
  return { code, stdout: io.out, stderr: io.err };
}

describe('arkiva bag validate', () => {
  it('exits 0 for a valid bag', async () => {
    const run = await arkiva('bag', 'validate', path.join(SUITE, 'v1.0/valid/basicBag'));
    expect(run).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(run.stdout).toMatch(/basicBag: valid \(1 payload files, 6 bytes\)/);
  });

  it('exits 1 with each problem on stderr for an invalid bag', async () => {
    const run = await arkiva('bag', 'validate', path.join(SUITE, 'v0.97/invalid/corrupt-data-file'));
    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toMatch(/^arkiva bag: checksum-mismatch: data\/\S+: md5 is [0-9a-f]{32}, but manifest-md5.txt says/m);
    expect(run.stdout).toMatch(/invalid \(2 problems\)/);
  });

  it('reports warnings on stderr and still exits 0', async () => {
    const run = await arkiva('bag', 'validate', path.join(SUITE, 'v0.97/warning/made-with-md5sum-tools'));
    expect(run.code).toBe(EXIT.ok);
    expect(run.stderr).toContain('arkiva bag: warning: md5sum-binary-marker');
  });

  it('prints a JSON report with --json', async () => {
    const run = await arkiva('bag', 'validate', '--json', path.join(SUITE, 'v0.97/linux-only/out-of-scope-file-paths-using-absolute-path'));
    expect(run.code).toBe(EXIT.failed);
    expect(JSON.parse(run.stdout)).toMatchObject({ valid: false, errors: [expect.objectContaining({ code: 'path-outside-bag', path: '/tmp/foo' })] });
  });

  it.each([
    [['bag'], /no action given/],
    [['bag', 'check', 'x'], /unknown action "check"/],
    [['bag', 'validate'], /no bag folder given/],
    [['bag', 'validate', 'a', 'b'], /one bag at a time/],
    [['bag', 'validate', '--fast', 'a'], /Unknown option '--fast'/],
  ])('exits 2 for a wrong command line: %j', async (args, message) => {
    const run = await arkiva(...args);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(message);
  });

  it('exits 1 for a folder that does not exist', async () => {
    const run = await arkiva('bag', 'validate', '/nonexistent/bag');
    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toContain('not-found: /nonexistent/bag does not exist.');
  });

  it('sets the process exit code when run as a command', async () => {
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(PROJECT_ROOT, 'services/cli/arkiva.ts'), 'bag', 'validate', path.join(SUITE, 'v0.97/invalid/extra-file-in-bag')],
        { cwd: PROJECT_ROOT, timeout: 60_000 },
        (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
      );
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not-in-manifest: data/bar');
  });
});

describe('arkiva batch verify and arkiva audit verify', () => {
  let bag = '';
  let trustFile = '';
  let auditFile = '';

  beforeAll(async () => {
    const ws = await testWorkstation(2);
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.krasniqi', expectedPages: 2, pageIds: ws.pages.map((page) => page.id) });
    await ws.service.seal(batch.id, ws.clerk);
    bag = ws.store.bagDir(batch.id, 1);
    const workstation = await testSigner(new Keystore(path.join(ws.root, 'keys')), ws.trust, 'ws-test-01', 'workstation');
    trustFile = path.join(ws.root, 'trust.json');
    await ws.trust.save(trustFile);
    auditFile = path.join(ws.root, 'audit.log');
    const log = await AuditLog.open(auditFile, workstation);
    await log.record({ kind: 'sign-in', actor: 'arta.krasniqi' });
    await log.record({ kind: 'seal', actor: 'arta.krasniqi', subject: batch.id });
  });

  it('batch verify exits 0 and summarises a sound batch', async () => {
    const run = await arkiva('batch', 'verify', '--trust', trustFile, bag);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain(': valid');
    expect(run.stdout).toContain('pages: 2 received, 2 expected');
    expect(run.stdout).toMatch(/valid signature: sealed by clerk — arta\.krasniqi \(clerk\)/);
  });

  it('batch verify exits 1 when a countersignature is required and missing, or the trust store does not know the key', async () => {
    const unsigned = await arkiva('batch', 'verify', '--trust', trustFile, '--countersigned', bag);
    expect(unsigned.code).toBe(EXIT.failed);
    expect(unsigned.stderr).toContain('countersignature-missing');
    const emptyTrust = path.join(await scratchDir('trust'), 'none.json');
    const unknown = await arkiva('batch', 'verify', '--trust', emptyTrust, bag);
    expect(unknown.code).toBe(EXIT.failed);
    expect(unknown.stderr).toContain('unknown-key: signatures/01-sealed-by-clerk.sig');
  });

  /** A fresh copy of the sealed bag, changed one way. */
  async function tamperedCopy(change: (copy: string) => Promise<void>): Promise<string> {
    const copy = path.join(await scratchDir('cli-tamper'), 'seal-1');
    await cp(bag, copy, { recursive: true });
    await change(copy);
    return copy;
  }

  async function flipByte(file: string, offset: number): Promise<void> {
    const bytes = await readFile(file);
    bytes[offset] = (bytes[offset] ?? 0) ^ 0x01;
    await writeFile(file, bytes);
  }

  it.each([
    ['a byte changed in a page', (copy: string) => flipByte(path.join(copy, 'data/pages/0002/original.png'), 10), /^arkiva batch: checksum-mismatch: data\/pages\/0002\/original\.png: sha256 is [0-9a-f]{64}, but manifest-sha256\.txt says [0-9a-f]{64}: the file changed after the bag was made\.$/m],
    ['a byte changed in manifest-sha256.txt', (copy: string) => flipByte(path.join(copy, 'manifest-sha256.txt'), 3), /^arkiva batch: tag-checksum-mismatch: manifest-sha256\.txt: sha256 is [0-9a-f]{64}, but tagmanifest-sha256\.txt says/m],
    ['a byte changed in tagmanifest-sha256.txt', async (copy: string) => {
      const file = path.join(copy, 'tagmanifest-sha256.txt');
      const bytes = await readFile(file);
      bytes[0] = bytes[0] === 0x30 ? 0x31 : 0x30;
      await writeFile(file, bytes);
    }, /^arkiva batch: tagmanifest-changed: signatures\/01-sealed-by-clerk\.sig: sealed by clerk \(arta\.krasniqi \(clerk\)\): signed tag manifest [0-9a-f]{16}…, but the bag's hashes to [0-9a-f]{16}… \(the bag changed after signing\)\.$/m],
    ['bag-info.txt edited', async (copy: string) => appendFile(path.join(copy, 'bag-info.txt'), 'Note: added later\n'), /^arkiva batch: tag-checksum-mismatch: bag-info\.txt: /m],
    ['a file added to data/', (copy: string) => writeFile(path.join(copy, 'data/pages/0001/note.txt'), 'x'), /^arkiva batch: not-in-manifest: data\/pages\/0001\/note\.txt: is in the payload but not listed in manifest-sha256\.txt \(a file added to the bag\?\)\.$/m],
    ['a file removed', (copy: string) => rm(path.join(copy, 'data/pages/0001/ocr.json')), /^arkiva batch: missing-file: data\/pages\/0001\/ocr\.json: listed in manifest-sha256\.txt but not in the bag\.$/m],
    ['a signature replaced', async (copy: string) => {
      const stranger = generateEd25519();
      await writeFile(path.join(copy, 'signatures/01-sealed-by-clerk.sig'), signEd25519(stranger.privateKey, await readFile(path.join(copy, 'signatures/01-sealed-by-clerk.txt'))));
    }, /^arkiva batch: bad-signature: signatures\/01-sealed-by-clerk\.sig: sealed by clerk \(arta\.krasniqi \(clerk\)\): the signature does not match its statement under the trusted key \(replaced or altered\)\.$/m],
    ['a manifest path that climbs out of the bag', (copy: string) => appendFile(path.join(copy, 'manifest-sha256.txt'), `${'0'.repeat(64)}  ../../etc/passwd\n`), /^arkiva batch: path-outside-bag: \.\.\/\.\.\/etc\/passwd: manifest-sha256\.txt line \d+: the path climbs out of its folder with "\.\."; it must stay inside the bag\.$/m],
  ])('batch verify exits 1 for %s, naming it on stderr', async (_, change, message) => {
    const run = await arkiva('batch', 'verify', '--trust', trustFile, await tamperedCopy(change));
    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toMatch(/: invalid\n/);
  });

  it('batch verify run as a command exits 1 for a tampered page, with the message on stderr', async () => {
    const copy = await tamperedCopy((dir) => flipByte(path.join(dir, 'data/pages/0001/original.png'), 20));
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(PROJECT_ROOT, 'services/cli/arkiva.ts'), 'batch', 'verify', '--trust', trustFile, copy],
        { cwd: PROJECT_ROOT, timeout: 60_000 },
        (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
      );
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^arkiva batch: checksum-mismatch: data\/pages\/0001\/original\.png: sha256 is [0-9a-f]{64}, but manifest-sha256\.txt says/m);
  });

  it('batch verify needs a trust store', async () => {
    const saved = process.env.ARKIVA_TRUST_STORE;
    delete process.env.ARKIVA_TRUST_STORE;
    try {
      const run = await arkiva('batch', 'verify', bag);
      expect(run.code).toBe(EXIT.usage);
      expect(run.stderr).toContain('no trust store');
    } finally {
      if (saved !== undefined) process.env.ARKIVA_TRUST_STORE = saved;
    }
  });

  it('audit verify exits 0 for an intact log and 1 for an edited one', async () => {
    expect(await arkiva('audit', 'verify', '--trust', trustFile, auditFile)).toMatchObject({ code: EXIT.ok, stdout: `${auditFile}: intact (2 entries)\n` });
    const broken = path.join(await scratchDir('audit'), 'audit.log');
    await writeFile(broken, (await readFile(auditFile, 'utf8')).replace('"sign-in"', '"export"'));
    await appendFile(broken, '');
    const run = await arkiva('audit', 'verify', '--trust', trustFile, broken);
    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toContain('entry-edited: entry 1 (line 1) was edited');
  });
});

describe('arkiva trust', () => {
  it('adds, lists, rotates and revokes keys, and batch verify follows it', async () => {
    const ws = await testWorkstation(1);
    const batch = await ws.service.open({ title: 'Dosja', actor: 'arta.krasniqi', expectedPages: 1, pageIds: [ws.pages[0]?.id ?? ''] });
    await ws.service.seal(batch.id, ws.clerk);
    const bag = ws.store.bagDir(batch.id, 1);
    const trustFile = path.join(ws.root, 'institution-trust.json');
    const pem = path.join(ws.root, 'clerk.pub.pem');
    await writeFile(pem, ws.clerk.publicKeyPem);

    expect(await arkiva('trust', 'add', '--trust', trustFile, '--role', 'clerk', '--user', 'arta.krasniqi', '--name', 'Arta Krasniqi', pem)).toMatchObject({
      code: EXIT.ok,
      stdout: `trusted ${ws.clerk.keyId} as clerk\n`,
    });
    expect((await arkiva('trust', 'list', '--trust', trustFile)).stdout).toMatch(new RegExp(`^${ws.clerk.keyId}  ed25519  clerk +Arta Krasniqi  \\[trusted\\]$`, 'm'));
    expect((await arkiva('batch', 'verify', '--trust', trustFile, bag)).code).toBe(EXIT.ok);

    expect((await arkiva('trust', 'revoke', '--trust', trustFile, '--reason', 'laptop stolen', ws.clerk.keyId)).code).toBe(EXIT.ok);
    const refused = await arkiva('batch', 'verify', '--trust', trustFile, bag);
    expect(refused.code).toBe(EXIT.failed);
    expect(refused.stderr).toContain('revoked-key: signatures/01-sealed-by-clerk.sig');
    expect((await arkiva('trust', 'add', '--trust', trustFile, '--role', 'clerk', '--user', 'a', '--name', 'A', pem)).stderr).toContain('cannot be trusted again');
  });

  it.each([
    [['trust', 'list'], /no trust store/],
    [['trust', 'add', '--trust', 'x.json', '--role', 'boss', 'k.pem'], /unknown role "boss"/],
    [['trust', 'frobnicate', '--trust', 'x.json'], /unknown action "frobnicate"/],
    [['trust', 'revoke', '--trust', 'x.json', 'abc'], /--reason is required/],
  ])('exits 2 for a wrong command line: %j', async (args, message) => {
    const saved = process.env.ARKIVA_TRUST_STORE;
    delete process.env.ARKIVA_TRUST_STORE;
    try {
      const run = await arkiva(...args);
      expect(run.code).toBe(EXIT.usage);
      expect(run.stderr).toMatch(message);
    } finally {
      if (saved !== undefined) process.env.ARKIVA_TRUST_STORE = saved;
    }
  });
});
