import { useLiveQuery } from 'dexie-react-hooks';
import type { PageRecord } from '../../common/api/contract';
import { useServices } from '../app/ServicesContext';
import { useI18n } from '../i18n/I18nProvider';
import { formatCapturedAt, formatConfidence } from './format';
import { pageTitle } from './page-title';
import { StatusBadge } from './StatusBadge';

/** Rows rendered at most; the newest come first, and search reaches the rest. */
export const PAGE_LIST_LIMIT = 500;

export function PageList({ selectedId, onOpen }: { selectedId: string | null; onOpen: (pageId: string) => void }) {
  const { catalog } = useServices();
  const listing = useLiveQuery(
    async () => {
      const [pages, total] = await Promise.all([
        catalog.pages.orderBy('capturedAt').reverse().limit(PAGE_LIST_LIMIT).toArray(),
        catalog.pages.count(),
      ]);
      return { pages, total };
    },
    [catalog],
  );
  return <PageListView listing={listing ?? null} selectedId={selectedId} onOpen={onOpen} />;
}

export function PageListView({
  listing,
  selectedId,
  onOpen,
}: {
  listing: { pages: readonly PageRecord[]; total: number } | null;
  selectedId: string | null;
  onOpen: (pageId: string) => void;
}) {
  const { t, locale } = useI18n();
  return (
    <section className="panel page-list-panel" aria-labelledby="pages-title">
      <h2 id="pages-title" className="panel-title">
        {t('pages.title')}
        {listing && <span className="panel-count">{t('pages.count', { count: listing.total })}</span>}
      </h2>
      <div data-testid="page-list" className="page-list">
        {listing === null ? (
          <p className="empty-note">{t('pages.loading')}</p>
        ) : listing.pages.length === 0 ? (
          <p className="empty-note">{t('pages.empty')}</p>
        ) : (
          <ul>
            {listing.pages.map((page) => (
              <li
                key={page.id}
                data-testid="page-item"
                data-status={page.status}
                data-page-id={page.id}
                className={`page-item${page.id === selectedId ? ' selected' : ''}`}
              >
                <button type="button" onClick={() => onOpen(page.id)} aria-current={page.id === selectedId}>
                  <span className="page-item-main">
                    <span className="page-title" title={pageTitle(page.source, t)}>
                      {pageTitle(page.source, t)}
                    </span>
                    <StatusBadge status={page.status} />
                  </span>
                  <span className="page-item-meta">
                    <span>{formatCapturedAt(page.capturedAt, locale)}</span>
                    {page.ocr && (
                      <span className="confidence" title={t('page.confidenceTitle')}>
                        {t('page.confidence', { value: formatConfidence(page.ocr.confidence) })}
                      </span>
                    )}
                  </span>
                  {page.status === 'failed' && (
                    <span className="page-failure">
                      {t('page.failure', { reason: page.failure ?? t('page.failureUnknown') })}
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ul>
        )}
        {listing && listing.total > listing.pages.length && (
          <p className="empty-note">{t('pages.truncated', { shown: listing.pages.length, count: listing.total })}</p>
        )}
      </div>
    </section>
  );
}
