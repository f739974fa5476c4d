import { describe, expect, it } from 'vitest';
import type { PageRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { pendingPage } from '../test-support/pages';
import { fakeApi } from '../test-support/fake-api';
import { importFiles, importOneFile, type ImportState } from './import-files';

type FakeFile = { name: string; content: string };

describe('importFiles', () => {
  it('sends each file in its own request and reports each one stored', async () => {
    const sent: { name: string; dataBase64: string }[] = [];
    const states = await importFiles<FakeFile>(
      [
        { name: 'a.png', content: 'AAA' },
        { name: 'b.tif', content: 'BBB' },
      ],
      {
        read: async (file) => btoa(file.content),
        send: async (file) => {
          sent.push(file);
          return [pendingPage({ source: { kind: 'import', fileName: file.name } })];
        },
        onState: () => undefined,
      },
    );
    expect(sent).toEqual([
      { name: 'a.png', dataBase64: btoa('AAA') },
      { name: 'b.tif', dataBase64: btoa('BBB') },
    ]);
    expect(states.map((state) => state.phase)).toEqual(['stored', 'stored']);
  });

  it('fails only the file that failed, with its own reason, and stores the rest', async () => {
    const states = await importFiles<FakeFile>(
      [
        { name: 'ok.png', content: 'x' },
        { name: 'notes.txt', content: 'x' },
        { name: 'unreadable.png', content: '' },
        { name: 'huge.tif', content: 'x' },
      ],
      {
        read: async (file) => {
          if (!file.content) throw new Error('The file is empty.');
          return btoa(file.content);
        },
        send: async (file): Promise<PageRecord[]> => {
          if (file.name === 'notes.txt') throw new ApiError('unsupported-file', 'Not an image');
          if (file.name === 'huge.tif') throw new ApiError('payload-too-large', 'Over 64 MB');
          return [pendingPage()];
        },
        onState: () => undefined,
      },
    );
    expect(states).toEqual([
      { phase: 'stored', pages: [expect.objectContaining({ status: 'pending-ocr' })] },
      { phase: 'failed', error: { code: 'unsupported-file', message: 'Not an image' } },
      { phase: 'failed', error: { code: 'unexpected', message: 'The file is empty.' } },
      { phase: 'failed', error: { code: 'payload-too-large', message: 'Over 64 MB' } },
    ]);
  });

  it('reports each file’s progress: queued, reading, storing, then its end', async () => {
    const seen: [number, ImportState['phase']][] = [];
    await importFiles<FakeFile>([{ name: 'a.png', content: 'x' }], {
      read: async () => 'eA==',
      send: async () => [],
      onState: (index, state) => seen.push([index, state.phase]),
    });
    expect(seen).toEqual([
      [0, 'queued'],
      [0, 'reading'],
      [0, 'sending'],
      [0, 'stored'],
    ]);
  });

  it('keeps no more than the given number of files in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const files = Array.from({ length: 7 }, (_, i) => ({ name: `${i}.png`, content: 'x' }));
    const states = await importFiles<FakeFile>(files, {
      read: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        return 'eA==';
      },
      send: async () => {
        inFlight--;
        return [];
      },
      onState: () => undefined,
      concurrency: 3,
    });
    expect(most).toBe(3);
    expect(states.every((state) => state.phase === 'stored')).toBe(true);
  });
});

describe('importOneFile', () => {
  const file = { name: 'torn.png', dataBase64: btoa('not a png') };

  it('sends the file alone and returns the pages stored for it', async () => {
    const page = pendingPage({ source: { kind: 'import', fileName: 'torn.png' } });
    const fake = fakeApi({ 'import.files': async () => ({ pages: [page], rejected: [] }) });
    await expect(importOneFile(fake.api, file)).resolves.toEqual([page]);
    expect(fake.calls).toEqual([{ method: 'import.files', input: { files: [file] } }]);
  });

  it('turns a rejection of the file into an error with the services’ code and reason', async () => {
    const fake = fakeApi({
      'import.files': async () => ({
        pages: [],
        rejected: [{ name: 'torn.png', code: 'unsupported-file', message: 'Input buffer contains unsupported image format' }],
      }),
    });
    await expect(importOneFile(fake.api, file)).rejects.toMatchObject({
      code: 'unsupported-file',
      message: 'Input buffer contains unsupported image format',
    });
  });

  it('passes on an error of the call itself', async () => {
    const fake = fakeApi({
      'import.files': async () => {
        throw new ApiError('payload-too-large', 'Over 64 MB');
      },
    });
    await expect(importOneFile(fake.api, file)).rejects.toMatchObject({ code: 'payload-too-large' });
  });
});
