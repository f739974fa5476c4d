import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../batches/test-batches';
import { hashFiles } from './hash-files';

describe('hashFiles', () => {
  it('hashes each file once for all its algorithms, in job order, across reads larger than one buffer', async () => {
    const dir = await scratchDir('hash-files');
    const small = Buffer.from('one page\n');
    const large = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(path.join(dir, 'small.txt'), small);
    await writeFile(path.join(dir, 'large.bin'), large);
    const digest = (algorithm: string, data: Buffer) => createHash(algorithm).update(data).digest('hex');
    expect(
      await hashFiles([
        { file: path.join(dir, 'large.bin'), algorithms: ['sha256', 'md5'] },
        { file: path.join(dir, 'small.txt'), algorithms: ['sha512'] },
      ]),
    ).toEqual([
      { digests: { sha256: digest('sha256', large), md5: digest('md5', large) }, size: large.length },
      { digests: { sha512: digest('sha512', small) }, size: small.length },
    ]);
  });

  it('reports a file it cannot read as that job’s error and goes on with the rest', async () => {
    const dir = await scratchDir('hash-files-missing');
    await writeFile(path.join(dir, 'here.txt'), 'x');
    const outcomes = await hashFiles([
      { file: path.join(dir, 'gone.txt'), algorithms: ['sha256'] },
      { file: path.join(dir, 'here.txt'), algorithms: ['sha256'] },
    ]);
    expect(outcomes[0]).toEqual({ error: expect.objectContaining({ code: 'ENOENT' }) });
    expect(outcomes[1]).toMatchObject({ size: 1 });
  });

  it('lets the event loop run while it hashes many files', async () => {
    const dir = await scratchDir('hash-files-many');
    const jobs = await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        const file = path.join(dir, `${index}.bin`);
        await writeFile(file, randomBytes(256 * 1024));
        return { file, algorithms: ['sha256', 'sha512'] };
      }),
    );
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    try {
      await hashFiles(jobs, { sliceMs: 1 });
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(3);
  });
});
