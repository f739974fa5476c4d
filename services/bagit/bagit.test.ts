import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBagPath, encodeBagPath, unsafePathReason } from './bag-paths';
import { validateBag } from './validate-bag';
import { writeBag } from './write-bag';

async function scratch(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'arkiva-bagit-'));
}

async function smallBag(names = ['data/a.txt']): Promise<string> {
  const bag = path.join(await scratch(), 'bag');
  await writeBag(bag, { payload: names.map((name, index) => ({ path: name, source: { bytes: `content ${index}\n` } })), info: [['Source-Organization', 'Test']] });
  return bag;
}

describe('writing bags', () => {
  it('writes a BagIt 1.0 bag that validates, with Payload-Oxum and both manifests', async () => {
    const bag = await smallBag(['data/a.txt', 'data/sub/b.txt']);
    const result = await validateBag(bag);
    expect(result).toMatchObject({ ok: true, version: '1.0', encoding: 'UTF-8', payload: { files: 2, octets: 20 } });
    expect(result.warnings).toEqual([]);
    expect(await readFile(path.join(bag, 'bag-info.txt'), 'utf8')).toMatch(/^Source-Organization: Test\nBagging-Date: \d{4}-\d\d-\d\d\nPayload-Oxum: 20\.2\n$/);
  });

  it('percent-encodes CR, LF and % in manifest paths, and reads them back', async () => {
    const bag = await smallBag(['data/50% off.txt', 'data/line\nbreak.txt']);
    expect(await readFile(path.join(bag, 'manifest-sha256.txt'), 'utf8')).toContain('data/50%25 off.txt\n');
    expect(await readFile(path.join(bag, 'manifest-sha256.txt'), 'utf8')).toContain('data/line%0Abreak.txt\n');
    expect((await validateBag(bag)).errors).toEqual([]);
    expect(decodeBagPath(encodeBagPath('a%0D\r\n%'))).toBe('a%0D\r\n%');
  });

  it('refuses to write over an existing bag or outside data/', async () => {
    const bag = await smallBag();
    await expect(writeBag(bag, { payload: [], info: [] })).rejects.toThrow(/already exists/);
    await expect(writeBag(path.join(await scratch(), 'b'), { payload: [{ path: 'data/../../x', source: { bytes: '' } }], info: [] })).rejects.toThrow(/climbs out/);
    await expect(writeBag(path.join(await scratch(), 'c'), { payload: [{ path: 'elsewhere.txt', source: { bytes: '' } }], info: [] })).rejects.toThrow(/must start with data/);
  });
});

describe('validating bags beyond the conformance suite', () => {
  it('reads CRLF manifests and warns about a byte-order mark in bag-info.txt', async () => {
    const bag = await smallBag();
    const manifest = path.join(bag, 'manifest-sha256.txt');
    await writeFile(manifest, (await readFile(manifest, 'utf8')).replace(/\n/g, '\r\n'));
    const info = path.join(bag, 'bag-info.txt');
    await writeFile(info, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), await readFile(info)]));
    const result = await validateBag(bag);
    // The manifest and bag-info no longer match the tag manifest: that is reported, the rest still read.
    expect(result.errors.map((problem) => [problem.code, problem.path])).toEqual([
      ['tag-checksum-mismatch', 'bag-info.txt'],
      ['tag-checksum-mismatch', 'manifest-sha256.txt'],
    ]);
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'byte-order-mark', path: 'bag-info.txt' }));
  });

  it('never follows a symbolic link out of the bag', async () => {
    const bag = await smallBag();
    await symlink('/etc/passwd', path.join(bag, 'data/passwd'));
    const result = await validateBag(bag);
    expect(result.errors).toContainEqual(expect.objectContaining({ code: 'not-a-regular-file', path: 'data/passwd', message: expect.stringContaining('symbolic link') }));
  });

  it('warns when Payload-Oxum is missing, and rejects one that does not match', async () => {
    const bag = await smallBag();
    const info = path.join(bag, 'bag-info.txt');
    await writeFile(info, 'Source-Organization: Test\n');
    expect((await validateBag(bag)).warnings).toContainEqual(expect.objectContaining({ code: 'payload-oxum-missing' }));
    await writeFile(info, 'Payload-Oxum: 999.1\n');
    expect((await validateBag(bag)).errors).toContainEqual(expect.objectContaining({ code: 'payload-oxum-mismatch', message: expect.stringContaining('says 999.1') }));
  });

  it('names the reason a path leaves the bag', () => {
    expect(unsafePathReason('data/ok/file.txt')).toBeUndefined();
    expect(unsafePathReason('data/dir1/~test3.txt')).toBeUndefined();
    expect(unsafePathReason('data/../../x')).toContain('".."');
    expect(unsafePathReason('/etc/passwd')).toBe('is an absolute path');
    expect(unsafePathReason('~root/x')).toContain('home folder');
    expect(unsafePathReason('C:\\Windows')).toContain('drive letter');
    expect(unsafePathReason('\\\\?\\UNC\\server\\x')).toContain('UNC');
    expect(unsafePathReason('%HomeDrive%\\x')).toContain('%VARIABLE%');
  });

  it('reports a folder that is not there', async () => {
    expect((await validateBag('/nonexistent/bag')).errors).toEqual([{ code: 'not-found', message: '/nonexistent/bag does not exist.' }]);
  });
});
