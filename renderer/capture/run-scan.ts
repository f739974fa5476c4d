import type { ArkivaApi } from '../../common/api/contract';
import { apiErrorCodeSchema } from '../../common/api/errors';
import { describeError, type DescribedError } from '../errors/describe-error';

export type ScanProgress =
  | { readonly phase: 'starting' }
  | { readonly phase: 'scanning'; readonly jobId: string; readonly pagesStored: number }
  | { readonly phase: 'finished'; readonly jobId: string; readonly pagesStored: number }
  | { readonly phase: 'failed'; readonly error: DescribedError; readonly pagesStored: number };

export type ScanOutcome = Extract<ScanProgress, { phase: 'finished' | 'failed' }>;

/**
 * Runs one scan job to its end. `capture.scan` only starts the job: pages arrive as
 * `page.stored` events and the job ends with `capture.finished`, which can arrive before
 * `capture.scan` has even answered, so both are listened for before the job starts.
 * Never throws: a refused start and a failed job both end in the `failed` phase.
 */
export async function runScan(
  api: ArkivaApi,
  deviceId: string,
  onProgress: (progress: ScanProgress) => void,
): Promise<ScanOutcome> {
  let jobId: string | undefined;
  let pagesStored = 0;
  const finishedJobs = new Map<string, { pagesStored: number; error?: { code: string; message: string } }>();
  let settle: (outcome: ScanOutcome) => void = () => undefined;
  const ended = new Promise<ScanOutcome>((resolve) => (settle = resolve));

  const finish = (id: string) => {
    const finished = finishedJobs.get(id);
    if (!finished) return;
    const outcome: ScanOutcome = finished.error
      ? { phase: 'failed', error: asDescribed(finished.error), pagesStored: finished.pagesStored }
      : { phase: 'finished', jobId: id, pagesStored: finished.pagesStored };
    onProgress(outcome);
    settle(outcome);
  };

  const unsubscribers = [
    api.on('page.stored', ({ page }) => {
      // Events carry no job id; a page from this device while the job runs is this job's.
      if (page.source.kind !== 'scan' || page.source.deviceId !== deviceId) return;
      pagesStored++;
      if (jobId !== undefined && !finishedJobs.has(jobId)) onProgress({ phase: 'scanning', jobId, pagesStored });
    }),
    api.on('capture.finished', (event) => {
      finishedJobs.set(event.jobId, event.error ? { pagesStored: event.pagesStored, error: event.error } : { pagesStored: event.pagesStored });
      if (event.jobId === jobId) finish(event.jobId);
    }),
  ];

  try {
    onProgress({ phase: 'starting' });
    try {
      jobId = (await api['capture.scan']({ deviceId })).jobId;
    } catch (error) {
      const outcome: ScanOutcome = { phase: 'failed', error: describeError(error), pagesStored: 0 };
      onProgress(outcome);
      return outcome;
    }
    if (finishedJobs.has(jobId)) finish(jobId);
    else onProgress({ phase: 'scanning', jobId, pagesStored });
    return await ended;
  } finally {
    for (const unsubscribe of unsubscribers) unsubscribe();
  }
}

/**
 * A job's error code is the scanner stack's; codes outside the API's set are still the scanner's
 * failures, so they are shown as one, with the original code kept for support.
 */
function asDescribed(error: { code: string; message: string }): DescribedError {
  const code = apiErrorCodeSchema.safeParse(error.code);
  return code.success
    ? { code: code.data, message: error.message }
    : { code: 'device-error', message: `${error.message} [${error.code}]` };
}
