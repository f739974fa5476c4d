import type { PageHit } from './indexed-page';

/** The pages of one document that matched, in the order the search ranked them. */
export interface HitGroup {
  readonly documentId: string;
  /** Empty while the page belongs to no described document. */
  readonly title: string;
  readonly caseNumber: string;
  readonly hits: readonly PageHit[];
}

/**
 * Results grouped by document: a document appears once, where its best page ranked, with all its
 * matching pages under it. A page outside any document is its own group (its documentId is its
 * page id), so the list reads the same before and after pages are gathered into documents.
 */
export function groupHits(hits: readonly PageHit[]): HitGroup[] {
  const groups = new Map<string, { documentId: string; title: string; caseNumber: string; hits: PageHit[] }>();
  for (const hit of hits) {
    const group = groups.get(hit.documentId);
    if (group) group.hits.push(hit);
    else groups.set(hit.documentId, { documentId: hit.documentId, title: hit.documentTitle ?? '', caseNumber: hit.caseNumber ?? '', hits: [hit] });
  }
  return [...groups.values()];
}
