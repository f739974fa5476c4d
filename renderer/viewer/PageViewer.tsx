import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState } from 'react';
import type { PageRecord } from '../../common/api/contract';
import { useServices } from '../app/ServicesContext';
import { describeError, type DescribedError } from '../errors/describe-error';
import { errorText } from '../errors/error-text';
import { useI18n } from '../i18n/I18nProvider';
import { formatCapturedAt, formatConfidence } from '../pages/format';
import { pageTitle } from '../pages/page-title';
import { recordAudit } from '../session/audit-trail';
import { StatusBadge } from '../pages/StatusBadge';
import { toPercentBox, wordsMatching, type PercentBox } from './hit-boxes';
import { RecognizeAgain } from './RecognizeAgain';

export interface ViewerSelection {
  readonly pageId: string;
  /** Folded terms to highlight, from the search result the page was opened from. */
  readonly terms: readonly string[];
}

type ImageState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'ready'; readonly src: string }
  | { readonly phase: 'failed'; readonly error: DescribedError };

const ZOOM_STEPS = [50, 75, 100, 150, 200, 300] as const;
const FIT_WIDTH = 100;

export function PageViewer({ selection, onClose }: { selection: ViewerSelection | null; onClose: () => void }) {
  const { t } = useI18n();
  if (!selection) {
    return (
      <section className="panel viewer-panel viewer-empty">
        <p className="empty-note">{t('viewer.empty')}</p>
      </section>
    );
  }
  // Keyed by page so that image, zoom and load state start fresh for each page.
  return <OpenPage key={selection.pageId} selection={selection} onClose={onClose} />;
}

function OpenPage({ selection, onClose }: { selection: ViewerSelection; onClose: () => void }) {
  const { api, catalog, errors } = useServices();
  const { pageId } = selection;
  const lookup = useLiveQuery(async () => ({ page: (await catalog.pages.get(pageId)) ?? null }), [catalog, pageId]);
  const [image, setImage] = useState<ImageState>({ phase: 'loading' });

  // Opening a page is reading a record: one `view` in the audit trail per page opened.
  useEffect(() => recordAudit(api, errors, { kind: 'view', subject: pageId }), [api, errors, pageId]);

  useEffect(() => {
    let current = true;
    api['pages.getImage']({ pageId }).then(
      ({ mimeType, dataBase64 }) => current && setImage({ phase: 'ready', src: `data:${mimeType};base64,${dataBase64}` }),
      (error: unknown) => {
        if (!current) return;
        setImage({ phase: 'failed', error: describeError(error) });
        errors.report('errors.context.image', error);
      },
    );
    return () => {
      current = false;
    };
  }, [api, errors, pageId]);

  return <PageViewerView page={lookup === undefined ? undefined : lookup.page} image={image} terms={selection.terms} onClose={onClose} />;
}

export function PageViewerView({
  page,
  image,
  terms,
  onClose,
}: {
  /** undefined while the catalog is read, null when the page is not in it. */
  page: PageRecord | null | undefined;
  image: ImageState;
  terms: readonly string[];
  onClose: () => void;
}) {
  const { t, locale } = useI18n();
  const [zoom, setZoom] = useState<number>(FIT_WIDTH);
  const boxes = useMemo(() => (page ? hitBoxes(page, terms) : []), [page, terms]);

  return (
    <section data-testid="page-viewer" className="panel viewer-panel" data-page-id={page?.id}>
      <header className="viewer-header">
        <div className="viewer-heading">
          <h2 className="panel-title viewer-title">{page ? pageTitle(page.source, t) : t('viewer.title')}</h2>
          {page && (
            <div className="viewer-meta">
              <StatusBadge status={page.status} />
              <span>{formatCapturedAt(page.capturedAt, locale)}</span>
              <span>{t('viewer.size', { width: page.width, height: page.height })}</span>
              {page.ocr && (
                <span title={t('page.confidenceTitle')}>{t('page.confidence', { value: formatConfidence(page.ocr.confidence) })}</span>
              )}
              {terms.length > 0 && (
                <span className="hit-count">
                  {boxes.length > 0 ? t('viewer.hits', { count: boxes.length }) : t('viewer.noHitsOnImage')}
                </span>
              )}
            </div>
          )}
        </div>
        <div className="viewer-tools">
          <button type="button" onClick={() => setZoom(step(zoom, -1))} disabled={zoom === ZOOM_STEPS[0]} aria-label={t('viewer.zoomOut')}>
            −
          </button>
          <span className="zoom-value">{t('viewer.zoom', { value: zoom })}</span>
          <button type="button" onClick={() => setZoom(step(zoom, 1))} disabled={zoom === ZOOM_STEPS.at(-1)} aria-label={t('viewer.zoomIn')}>
            +
          </button>
          <button type="button" onClick={onClose}>
            {t('viewer.close')}
          </button>
        </div>
      </header>
      {page && <RecognizeAgain pageId={page.id} status={page.status} />}
      {page?.status === 'failed' && (
        <p className="inline-error">{t('page.failure', { reason: page.failure ?? t('page.failureUnknown') })}</p>
      )}
      {page === null && <p className="inline-error">{t('viewer.missing')}</p>}
      <div className="viewer-scroll">
        {image.phase === 'loading' && <p className="empty-note">{t('viewer.loading')}</p>}
        {image.phase === 'failed' && (
          <p className="inline-error">{t('viewer.imageFailed', { message: errorText(image.error, t) })}</p>
        )}
        {image.phase === 'ready' && (
          <div className="page-canvas" style={{ width: `${zoom}%` }}>
            <img src={image.src} alt={t('viewer.imageAlt', { title: page ? pageTitle(page.source, t) : '' })} draggable={false} />
            {boxes.map((box, index) => (
              <div
                key={index}
                data-testid="hit-box"
                className="hit-box"
                style={{ left: `${box.left}%`, top: `${box.top}%`, width: `${box.width}%`, height: `${box.height}%` }}
              />
            ))}
          </div>
        )}
      </div>
      {page?.ocr && page.ocr.text.trim() !== '' && (
        <details className="ocr-text">
          <summary>{t('viewer.ocrText')}</summary>
          <pre>{page.ocr.text}</pre>
        </details>
      )}
    </section>
  );
}

function hitBoxes(page: PageRecord, terms: readonly string[]): PercentBox[] {
  return wordsMatching(page.ocr?.words ?? [], terms)
    .map((word) => toPercentBox(word.bbox, page.width, page.height))
    .filter((box): box is PercentBox => box !== null);
}

function step(zoom: number, direction: 1 | -1): number {
  const index = ZOOM_STEPS.findIndex((value) => value === zoom);
  const next = ZOOM_STEPS[Math.min(ZOOM_STEPS.length - 1, Math.max(0, index + direction))];
  return next ?? FIT_WIDTH;
}
