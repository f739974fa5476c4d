import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import type { DocumentRecord, PageRecord } from '../../common/api/contract';
import { useServices } from '../app/ServicesContext';
import { describeError, type DescribedError } from '../errors/describe-error';
import { errorText } from '../errors/error-text';
import { useI18n } from '../i18n/I18nProvider';
import { DocumentEditor } from './DocumentEditor';
import { liveDocuments } from './document-lists';
import { PagePicker, tickedFreePages, useFreePages, usePageSelection } from './PagePicker';
import './documents.css';

type Mode = { readonly kind: 'list' } | { readonly kind: 'new' } | { readonly kind: 'open'; readonly documentId: string };

/**
 * The clerk's documents: archived pages grouped, described and put in order. Lists the documents
 * the catalog holds (the sync keeps it in step with the archive), makes new ones from pages that
 * belong to none, and opens one for editing.
 */
export function DocumentsPanel({ onOpenPage }: { onOpenPage: (pageId: string) => void }) {
  const { catalog } = useServices();
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const documents = useLiveQuery(async () => liveDocuments(await catalog.documents.toArray()), [catalog]);
  return (
    <details className="panel documents-panel" data-testid="documents-panel" open>
      <summary className="panel-title">
        <DocumentsTitle count={documents?.length ?? null} />
      </summary>
      {mode.kind === 'open' ? (
        <DocumentEditor key={mode.documentId} documentId={mode.documentId} onClose={() => setMode({ kind: 'list' })} onOpenPage={onOpenPage} onOpenDocument={(documentId) => setMode({ kind: 'open', documentId })} />
      ) : mode.kind === 'new' ? (
        <NewDocument onCreated={(documentId) => setMode({ kind: 'open', documentId })} onCancel={() => setMode({ kind: 'list' })} />
      ) : (
        <DocumentListView documents={documents ?? null} onOpen={(documentId) => setMode({ kind: 'open', documentId })} onNew={() => setMode({ kind: 'new' })} />
      )}
    </details>
  );
}

function DocumentsTitle({ count }: { count: number | null }) {
  const { t } = useI18n();
  return (
    <>
      {t('documents.title')}
      {count !== null && <span className="panel-count">{t('documents.count', { count })}</span>}
    </>
  );
}

export function DocumentListView({
  documents,
  onOpen,
  onNew,
}: {
  documents: readonly DocumentRecord[] | null;
  onOpen: (documentId: string) => void;
  onNew: () => void;
}) {
  const { t } = useI18n();
  return (
    <div className="documents-body">
      <div className="documents-toolbar">
        <button type="button" className="primary" data-testid="new-document" onClick={onNew}>
          {t('documents.new')}
        </button>
      </div>
      {documents === null ? (
        <p className="empty-note">{t('pages.loading')}</p>
      ) : documents.length === 0 ? (
        <p className="empty-note">{t('documents.empty')}</p>
      ) : (
        <ul className="document-list" data-testid="document-list">
          {documents.map((document) => (
            <li key={document.id}>
              <button type="button" className="document-item" data-testid="document-item" data-document-id={document.id} onClick={() => onOpen(document.id)}>
                <span className="document-item-title">{document.metadata.title || t('search.untitledDocument')}</span>
                <span className="document-item-meta">
                  {document.metadata.caseNumber && <span className="result-case">{document.metadata.caseNumber}</span>}
                  {document.metadata.date && <span>{document.metadata.date}</span>}
                  <span>{t('pages.count', { count: document.pages.length })}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function NewDocument({ onCreated, onCancel }: { onCreated: (documentId: string) => void; onCancel: () => void }) {
  const { api } = useServices();
  const candidates = useFreePages();
  const selection = usePageSelection();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<DescribedError | null>(null);
  // Cleared when the form goes: a document made after the clerk left it must not be opened over what they do now.
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const create = () => {
    // In the order listed (capture order); the clerk reorders afterwards.
    const pageIds = selection.inOrder(candidates);
    if (pageIds.length === 0) return;
    setBusy(true);
    setError(null);
    api['documents.create']({ pageIds }).then(
      ({ document }) => {
        if (alive.current) onCreated(document.id);
      },
      (failure: unknown) => {
        if (!alive.current) return;
        setBusy(false);
        setError(describeError(failure));
      },
    );
  };
  return (
    <NewDocumentView pages={candidates ?? null} selected={selection.selected} busy={busy} error={error} onToggle={selection.toggle} onCreate={create} onCancel={onCancel} />
  );
}

export function NewDocumentView({
  pages,
  selected,
  busy,
  error,
  onToggle,
  onCreate,
  onCancel,
}: {
  pages: readonly PageRecord[] | null;
  selected: ReadonlySet<string>;
  busy: boolean;
  error: DescribedError | null;
  onToggle: (pageId: string) => void;
  onCreate: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const ticked = tickedFreePages(pages, selected);
  return (
    <div className="documents-body" data-testid="new-document-form">
      <p className="field-note">{t('documents.newHint')}</p>
      <PagePicker pages={pages} selected={selected} testId="new-document-page" onToggle={onToggle} />
      {error && (
        <p className="inline-error" role="alert" data-testid="new-document-error">
          {errorText(error, t)}
        </p>
      )}
      <div className="documents-toolbar">
        <button type="button" className="primary" data-testid="create-document" disabled={busy || ticked === 0} onClick={onCreate}>
          {t('documents.create', { count: ticked })}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('documents.cancel')}
        </button>
      </div>
    </div>
  );
}
