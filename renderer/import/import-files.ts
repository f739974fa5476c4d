import type { ArkivaApi, PageRecord } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { describeError, type DescribedError } from '../errors/describe-error';

export type ImportState =
  | { readonly phase: 'queued' }
  | { readonly phase: 'reading' }
  | { readonly phase: 'sending' }
  | { readonly phase: 'stored'; readonly pages: readonly PageRecord[] }
  | { readonly phase: 'failed'; readonly error: DescribedError };

export interface ImportDeps<F extends { readonly name: string }> {
  read(file: F): Promise<string>;
  send(file: { name: string; dataBase64: string }): Promise<readonly PageRecord[]>;
  onState(index: number, state: ImportState): void;
  /** Files in flight at once: enough to overlap reading with storing, few enough to bound memory. */
  concurrency?: number;
}

/**
 * Imports files one request each, so a file the services reject (not an image, too large) fails
 * on its own, with its own reason, and the others still go in. Never throws: every file ends
 * `stored` or `failed`.
 */
export async function importFiles<F extends { readonly name: string }>(
  files: readonly F[],
  deps: ImportDeps<F>,
): Promise<ImportState[]> {
  const states: ImportState[] = files.map(() => ({ phase: 'queued' }));
  const set = (index: number, state: ImportState) => {
    states[index] = state;
    deps.onState(index, state);
  };
  files.forEach((_, index) => deps.onState(index, { phase: 'queued' }));

  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      const file = files[index];
      if (!file) continue;
      try {
        set(index, { phase: 'reading' });
        const dataBase64 = await deps.read(file);
        set(index, { phase: 'sending' });
        set(index, { phase: 'stored', pages: await deps.send({ name: file.name, dataBase64 }) });
      } catch (error) {
        set(index, { phase: 'failed', error: describeError(error) });
      }
    }
  };
  const lanes = Math.max(1, Math.min(deps.concurrency ?? 2, files.length));
  await Promise.all(Array.from({ length: lanes }, worker));
  return states;
}

/**
 * Sends one file to `import.files`. The services answer a file they cannot take (not an image,
 * corrupt) in `rejected` rather than as an error; here it becomes the error it is for that file.
 */
export async function importOneFile(
  api: ArkivaApi,
  file: { name: string; dataBase64: string },
): Promise<readonly PageRecord[]> {
  const { pages, rejected } = await api['import.files']({ files: [file] });
  const refusal = rejected.find((entry) => entry.name === file.name) ?? rejected[0];
  if (refusal) throw new ApiError(refusal.code, refusal.message);
  return pages;
}
