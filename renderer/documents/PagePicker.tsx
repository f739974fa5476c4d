import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { PageRecord } from '../../common/api/contract';
import { useServices } from '../app/ServicesContext';
import { useI18n } from '../i18n/I18nProvider';
import { formatCapturedAt } from '../pages/format';
import { pageTitle } from '../pages/page-title';
import { StatusBadge } from '../pages/StatusBadge';
import { freePages } from './document-lists';

/** Pages offered at most; the oldest free ones, as a paper file is scanned front to back. */
export const FREE_PAGE_LIMIT = 500;

/** The catalog's pages that belong to no live document, oldest first; undefined while read. */
export function useFreePages(): PageRecord[] | undefined {
  const { catalog } = useServices();
  return useLiveQuery(async () => {
    const [pages, documents] = await Promise.all([catalog.pages.orderBy('capturedAt').toArray(), catalog.documents.toArray()]);
    return freePages(pages, documents).slice(0, FREE_PAGE_LIMIT);
  }, [catalog]);
}

/** Ticked page ids, and the ticked ones in the order the pages are listed (whatever order they were ticked in). */
export function usePageSelection() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  return {
    selected,
    toggle(pageId: string) {
      const next = new Set(selected);
      if (!next.delete(pageId)) next.add(pageId);
      setSelected(next);
    },
    inOrder: (pages: readonly PageRecord[] | undefined) => (pages ?? []).map((page) => page.id).filter((id) => selected.has(id)),
  };
}

/**
 * How many ticked pages are still offered: a ticked page another document has since taken
 * drops out of the list and would not be sent, so it is not counted either.
 */
export function tickedFreePages(pages: readonly PageRecord[] | null, selected: ReadonlySet<string>): number {
  return (pages ?? []).filter((page) => selected.has(page.id)).length;
}

/** Pages to tick, each by name, OCR status and capture time. */
export function PagePicker({
  pages,
  selected,
  testId,
  onToggle,
}: {
  pages: readonly PageRecord[] | null;
  selected: ReadonlySet<string>;
  testId: string;
  onToggle: (pageId: string) => void;
}) {
  const { t, locale } = useI18n();
  if (pages === null) return <p className="empty-note">{t('pages.loading')}</p>;
  if (pages.length === 0) return <p className="empty-note">{t('documents.noFreePages')}</p>;
  return (
    <ul className="document-page-picker">
      {pages.map((page) => (
        <li key={page.id}>
          <label>
            <input type="checkbox" data-testid={testId} data-page-id={page.id} checked={selected.has(page.id)} onChange={() => onToggle(page.id)} />
            <span className="document-page-title">{pageTitle(page.source, t)}</span>
            <StatusBadge status={page.status} />
            <span className="document-page-meta">{formatCapturedAt(page.capturedAt, locale)}</span>
          </label>
        </li>
      ))}
    </ul>
  );
}
