import type { PageRecord } from '../../common/api/contract';
import type { ArkivaCatalog } from './catalog-db';
import { sameValue } from './same-value';
import { mayReplace } from './status-precedence';

export type IngestChange =
  /** The catalog did not know the page. */
  | 'added'
  /** The page replaced what the catalog held. */
  | 'updated'
  /** The catalog already held exactly this. */
  | 'unchanged'
  /** A late, older report (e.g. pending OCR after recognized): the catalog kept what it had. */
  | 'stale';

export interface IngestOutcome {
  readonly change: IngestChange;
  /** The page as the catalog holds it afterwards, whatever arrived. */
  readonly page: PageRecord;
}

/**
 * Brings pages into the catalog, keyed by id (the SHA-256 of the original), so ingesting the
 * same page any number of times, in any order, ends in the same catalog. One transaction for the
 * whole batch: a full `pages.list` at start-up is one write, not thousands.
 * Outcomes are in input order; a page that appears twice in a batch is judged against the
 * earlier one.
 */
export async function ingestPages(catalog: ArkivaCatalog, pages: readonly PageRecord[]): Promise<IngestOutcome[]> {
  if (pages.length === 0) return [];
  return catalog.transaction('rw', catalog.pages, async () => {
    const ids = [...new Set(pages.map((page) => page.id))];
    const stored = await catalog.pages.bulkGet(ids);
    const current = new Map<string, PageRecord>();
    ids.forEach((id, index) => {
      const page = stored[index];
      if (page) current.set(id, page);
    });

    const outcomes: IngestOutcome[] = [];
    const toWrite = new Map<string, PageRecord>();
    for (const incoming of pages) {
      const held = current.get(incoming.id);
      const outcome = judge(held, incoming);
      outcomes.push(outcome);
      if (outcome.change === 'added' || outcome.change === 'updated') {
        current.set(incoming.id, incoming);
        toWrite.set(incoming.id, incoming);
      }
    }
    if (toWrite.size > 0) await catalog.pages.bulkPut([...toWrite.values()]);
    return outcomes;
  });
}

export async function ingestPage(catalog: ArkivaCatalog, page: PageRecord): Promise<IngestOutcome> {
  const [outcome] = await ingestPages(catalog, [page]);
  if (!outcome) throw new Error('ingestPages returned no outcome for one page');
  return outcome;
}

function judge(held: PageRecord | undefined, incoming: PageRecord): IngestOutcome {
  if (!held) return { change: 'added', page: incoming };
  if (!mayReplace(held.status, incoming.status)) return { change: 'stale', page: held };
  if (sameValue(held, incoming)) return { change: 'unchanged', page: held };
  return { change: 'updated', page: incoming };
}
