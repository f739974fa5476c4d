import type { ScannedPage } from '../scanner-driver';

/**
 * Reads a scan job to its end for a spec: the pages that arrived, and the error that ended it
 * (undefined when the job finished), so a spec can say which pages a jam or a drop kept.
 */
export async function drainPages(pages: AsyncIterable<ScannedPage>): Promise<{ pages: ScannedPage[]; error: unknown }> {
  const received: ScannedPage[] = [];
  try {
    for await (const page of pages) received.push(page);
    return { pages: received, error: undefined };
  } catch (error) {
    return { pages: received, error };
  }
}
