import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { DocumentChange, DocumentMetadataPatch, DocumentRecord, PageRecord } from '../../common/api/contract';
import { useServices } from '../app/ServicesContext';
import { describeError, type DescribedError } from '../errors/describe-error';
import { errorText } from '../errors/error-text';
import { useI18n } from '../i18n/I18nProvider';
import { formatCapturedAt } from '../pages/format';
import { pageTitle } from '../pages/page-title';
import { applyDocumentAction, type DocumentAction } from './document-actions';
import { draftOf, patchFromDraft, SENSITIVITIES, type FieldErrors, type MetadataDraft, type MetadataField } from './document-form';
import { liveDocuments } from './document-lists';
import { moveEdit } from './page-order';
import { PagePicker, tickedFreePages, useFreePages, usePageSelection } from './PagePicker';
import { offerDownload } from './pdf-download';

type Loaded = { readonly document: DocumentRecord; readonly history: readonly DocumentChange[] };
type LoadState = { readonly phase: 'loading' } | { readonly phase: 'failed'; readonly error: DescribedError } | ({ readonly phase: 'ready' } & Loaded);

/** What the editor tells the clerk after an action. */
export type EditorNotice =
  | { readonly kind: 'conflict'; readonly message: string }
  | { readonly kind: 'failed'; readonly error: DescribedError }
  | { readonly kind: 'saved' }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'split'; readonly created: DocumentRecord }
  | { readonly kind: 'exporting' }
  | { readonly kind: 'exported'; readonly fileName: string };

/**
 * One document, as the archive holds it now (`documents.get`), with its history. Every change is
 * sent with the revision shown here; if the document moved on meanwhile the services refuse it
 * and the clerk is asked to reload rather than overwrite what someone else did.
 */
export function DocumentEditor({
  documentId,
  onClose,
  onOpenPage,
  onOpenDocument,
}: {
  documentId: string;
  onClose: () => void;
  onOpenPage: (pageId: string) => void;
  onOpenDocument: (documentId: string) => void;
}) {
  const { api, catalog } = useServices();
  const [state, setState] = useState<LoadState>({ phase: 'loading' });
  const [reloads, setReloads] = useState(0);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<EditorNotice | null>(null);
  // The document this editor shows now, null once it is gone: a reply arriving after the clerk
  // moved on must not close (or fill) the editor of another document.
  const shown = useRef<string | null>(documentId);
  useEffect(() => {
    shown.current = documentId;
    return () => {
      shown.current = null;
    };
  }, [documentId]);

  useEffect(() => {
    let current = true;
    api['documents.get']({ documentId }).then(
      ({ document, history }) => current && setState({ phase: 'ready', document, history }),
      (error: unknown) => current && setState({ phase: 'failed', error: describeError(error) }),
    );
    return () => {
      current = false;
    };
  }, [api, documentId, reloads]);

  const loaded = state.phase === 'ready' ? state : null;
  const pageIds = loaded?.document.pages.map((page) => page.pageId) ?? [];
  const pages = useLiveQuery(
    async () => new Map((await catalog.pages.bulkGet(pageIds)).filter((page): page is PageRecord => page !== undefined).map((page) => [page.id, page])),
    [catalog, pageIds.join(',')],
  );
  const catalogView = useLiveQuery(async () => {
    const documents = await catalog.documents.toArray();
    return {
      others: liveDocuments(documents).filter((document) => document.id !== documentId),
      revision: documents.find((document) => document.id === documentId)?.revision ?? 0,
    };
  }, [catalog, documentId]);

  const reload = () => {
    setNotice(null);
    setState({ phase: 'loading' });
    setReloads((count) => count + 1);
  };

  const act = async (action: DocumentAction) => {
    if (!loaded || busy) return;
    setBusy(true);
    setNotice(null);
    const outcome = await applyDocumentAction(api, loaded.document, action);
    setBusy(false);
    if (shown.current !== loaded.document.id) return;
    if (outcome.kind === 'conflict') return setNotice({ kind: 'conflict', message: outcome.message });
    if (outcome.kind === 'failed') return setNotice({ kind: 'failed', error: outcome.error });
    if (outcome.document.deleted) return onClose();
    setState({ phase: 'ready', document: outcome.document, history: outcome.history ?? loaded.history });
    if (outcome.created) setNotice({ kind: 'split', created: outcome.created });
    else if (action.kind === 'metadata') setNotice({ kind: 'saved' });
  };

  const exportPdf = () => {
    if (busy) return;
    setBusy(true);
    setNotice({ kind: 'exporting' });
    // catch after then: a download that cannot be offered is reported like a failed export.
    api['documents.exportPdf']({ documentId })
      .then(({ fileName, mimeType, dataBase64 }) => setNotice({ kind: 'exported', fileName: offerDownload(dataBase64, mimeType, fileName) }))
      .catch((error: unknown) => setNotice({ kind: 'failed', error: describeError(error) }))
      .finally(() => setBusy(false));
  };

  if (!loaded) {
    return (
      <div className="documents-body">
        <EditorBack onClose={onClose} />
        {state.phase === 'failed' ? <FailedLoad error={state.error} onReload={reload} /> : <LoadingNote />}
      </div>
    );
  }
  return (
    <DocumentEditorView
      document={loaded.document}
      history={loaded.history}
      pages={pages ?? new Map()}
      others={catalogView?.others ?? []}
      newerElsewhere={!busy && (catalogView?.revision ?? 0) > loaded.document.revision}
      busy={busy}
      notice={notice}
      formKey={`${reloads}:${JSON.stringify(loaded.document.metadata)}`}
      onAction={(action) => void act(action)}
      onUnchanged={() => setNotice({ kind: 'unchanged' })}
      onExport={exportPdf}
      onReload={reload}
      onClose={onClose}
      onOpenPage={onOpenPage}
      onOpenDocument={onOpenDocument}
    />
  );
}

function LoadingNote() {
  const { t } = useI18n();
  return <p className="empty-note">{t('documents.loading')}</p>;
}

function FailedLoad({ error, onReload }: { error: DescribedError; onReload: () => void }) {
  const { t } = useI18n();
  return (
    <div className="inline-error" role="alert">
      {t('documents.loadFailed', { message: errorText(error, t) })}{' '}
      <button type="button" onClick={onReload}>
        {t('documents.reload')}
      </button>
    </div>
  );
}

function EditorBack({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <div className="documents-toolbar">
      <button type="button" className="link-button" data-testid="document-back" onClick={onClose}>
        {t('documents.back')}
      </button>
    </div>
  );
}

export interface DocumentEditorViewProps {
  document: DocumentRecord;
  history: readonly DocumentChange[];
  /** The catalog's records of the document's pages, for their names (a page not yet in the catalog shows its id). */
  pages: ReadonlyMap<string, PageRecord>;
  /** Live documents that could be merged into this one. */
  others: readonly DocumentRecord[];
  /** The catalog heard of a newer revision than the one shown. */
  newerElsewhere: boolean;
  busy: boolean;
  notice: EditorNotice | null;
  /** Changes when the metadata shown must start again from the document's (saved, reloaded). */
  formKey: string;
  onAction: (action: DocumentAction) => void;
  onUnchanged: () => void;
  onExport: () => void;
  onReload: () => void;
  onClose: () => void;
  onOpenPage: (pageId: string) => void;
  onOpenDocument: (documentId: string) => void;
}

export function DocumentEditorView(props: DocumentEditorViewProps) {
  const { document, busy, notice } = props;
  const { t } = useI18n();
  // A refusal must be seen even when the button pressed was further down the panel.
  const notices = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (notice?.kind === 'conflict' || notice?.kind === 'failed') notices.current?.scrollIntoView({ block: 'nearest' });
  }, [notice]);
  return (
    <div className="documents-body document-editor" data-testid="document-editor" data-document-id={document.id} data-revision={document.revision}>
      <EditorBack onClose={props.onClose} />
      <h3 className="document-heading">
        {document.metadata.title || t('search.untitledDocument')}
        <span className="panel-count">{t('documents.revision', { value: document.revision })}</span>
      </h3>
      <div ref={notices} className="document-notices">
        <EditorNoticeView notice={notice} newerElsewhere={props.newerElsewhere} onReload={props.onReload} onOpenDocument={props.onOpenDocument} />
      </div>
      {document.deleted ? (
        // Deleted here or merged into another document elsewhere: nothing left to edit, the history stays.
        <p className="status-line" data-testid="document-deleted">
          {t('documents.deletedNote')}
        </p>
      ) : (
        <>
          <div className="documents-toolbar">
            <button type="button" className="primary" data-testid="document-export" disabled={busy} onClick={props.onExport}>
              {t('documents.export', { format: 'PDF/A' })}
            </button>
          </div>
          <MetadataForm key={props.formKey} document={document} busy={busy} onSave={(patch) => props.onAction({ kind: 'metadata', patch })} onUnchanged={props.onUnchanged} />
          <DocumentPagesView document={document} pages={props.pages} busy={busy} onAction={props.onAction} onOpenPage={props.onOpenPage} />
          {/* Keyed by revision: what was ticked is cleared once the pages are in. */}
          <AddPages key={document.revision} busy={busy} onAdd={(pageIds) => props.onAction({ kind: 'pages', edit: { op: 'insert', at: document.pages.length, pageIds } })} />
          <MergeAndDelete others={props.others} busy={busy} onAction={props.onAction} />
        </>
      )}
      <DocumentHistoryView history={props.history} />
    </div>
  );
}

export function EditorNoticeView({
  notice,
  newerElsewhere,
  onReload,
  onOpenDocument,
}: {
  notice: EditorNotice | null;
  newerElsewhere: boolean;
  onReload: () => void;
  onOpenDocument: (documentId: string) => void;
}) {
  const { t } = useI18n();
  const reloadButton = (
    <button type="button" data-testid="document-reload" onClick={onReload}>
      {t('documents.reload')}
    </button>
  );
  if (notice?.kind === 'conflict') {
    return (
      <div className="inline-error document-conflict" role="alert" data-testid="document-conflict">
        <strong>{t('documents.conflict')}</strong> {notice.message} {reloadButton}
      </div>
    );
  }
  const shown: ReactNode[] = [];
  if (newerElsewhere) {
    shown.push(
      <div key="newer" className="status-line tone-busy" data-testid="document-newer">
        {t('documents.newerElsewhere')} {reloadButton}
      </div>,
    );
  }
  if (notice?.kind === 'failed') {
    shown.push(
      <p key="failed" className="inline-error" role="alert" data-testid="document-error">
        {errorText(notice.error, t)}
      </p>,
    );
  } else if (notice) {
    shown.push(
      <p key="note" className={`status-line ${notice.kind === 'exporting' ? 'tone-busy' : 'tone-success'}`} data-testid="document-notice">
        {notice.kind === 'saved' && t('documents.saved')}
        {notice.kind === 'unchanged' && t('documents.unchanged')}
        {notice.kind === 'exporting' && t('documents.exporting')}
        {notice.kind === 'exported' && t('documents.exported', { file: notice.fileName })}
        {notice.kind === 'split' && (
          <>
            {t('documents.splitDone', { count: notice.created.pages.length })}{' '}
            <button type="button" className="link-button" data-testid="open-split-document" onClick={() => onOpenDocument(notice.created.id)}>
              {t('documents.openNew')}
            </button>
          </>
        )}
      </p>,
    );
  }
  return <>{shown}</>;
}

function MetadataForm({
  document,
  busy,
  onSave,
  onUnchanged,
}: {
  document: DocumentRecord;
  busy: boolean;
  onSave: (patch: DocumentMetadataPatch) => void;
  onUnchanged: () => void;
}) {
  const [draft, setDraft] = useState<MetadataDraft>(() => draftOf(document.metadata));
  const [errors, setErrors] = useState<FieldErrors>({});
  const submit = () => {
    const outcome = patchFromDraft(draft, document.metadata);
    if (!outcome.ok) return setErrors(outcome.errors);
    setErrors({});
    if (outcome.changed) onSave(outcome.patch);
    else onUnchanged();
  };
  return (
    <MetadataFormView
      draft={draft}
      errors={errors}
      busy={busy}
      onChange={(field, value) => setDraft({ ...draft, [field]: value })}
      onSubmit={submit}
    />
  );
}

const TEXT_INPUTS: readonly { readonly field: Exclude<MetadataField, 'persons' | 'notes' | 'sensitivity'>; readonly wide?: boolean }[] = [
  { field: 'title', wide: true },
  { field: 'caseNumber' },
  { field: 'documentType' },
  { field: 'date' },
  { field: 'institution', wide: true },
];

export function MetadataFormView({
  draft,
  errors,
  busy,
  onChange,
  onSubmit,
}: {
  draft: MetadataDraft;
  errors: FieldErrors;
  busy: boolean;
  onChange: (field: MetadataField, value: string) => void;
  onSubmit: () => void;
}) {
  const { t } = useI18n();
  const errorOf = (field: MetadataField) => {
    const key = errors[field];
    return key ? (
      <span className="field-error" id={`metadata-error-${field}`} data-testid={`metadata-error-${field}`}>
        {t(key)}
      </span>
    ) : null;
  };
  const invalid = (field: MetadataField) => (errors[field] ? { 'aria-invalid': true, 'aria-describedby': `metadata-error-${field}` } : {});
  return (
    <form
      className="metadata-form"
      data-testid="metadata-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {TEXT_INPUTS.map(({ field, wide }) => (
        <label key={field} className={`field${wide ? ' field-wide' : ''}`}>
          <span className="field-label">{t(`documents.field.${field}`)}</span>
          <input
            type="text"
            data-testid={`metadata-${field}`}
            value={draft[field]}
            placeholder={field === 'date' ? t('documents.datePlaceholder') : undefined}
            onChange={(event) => onChange(field, event.target.value)}
            {...invalid(field)}
          />
          {errorOf(field)}
        </label>
      ))}
      <label className="field">
        <span className="field-label">{t('documents.field.sensitivity')}</span>
        <select data-testid="metadata-sensitivity" value={draft.sensitivity} onChange={(event) => onChange('sensitivity', event.target.value)}>
          {SENSITIVITIES.map((level) => (
            <option key={level} value={level}>
              {t(`documents.sensitivity.${level}`)}
            </option>
          ))}
        </select>
        {errorOf('sensitivity')}
      </label>
      <label className="field field-wide">
        <span className="field-label">{t('documents.field.persons')}</span>
        <textarea data-testid="metadata-persons" rows={3} value={draft.persons} onChange={(event) => onChange('persons', event.target.value)} {...invalid('persons')} />
        <span className="field-note">{t('documents.personsHint')}</span>
        {errorOf('persons')}
      </label>
      <label className="field field-wide">
        <span className="field-label">{t('documents.field.tags')}</span>
        <input type="text" data-testid="metadata-tags" value={draft.tags} onChange={(event) => onChange('tags', event.target.value)} {...invalid('tags')} />
        <span className="field-note">{t('documents.tagsHint')}</span>
        {errorOf('tags')}
      </label>
      <label className="field field-wide">
        <span className="field-label">{t('documents.field.notes')}</span>
        <textarea data-testid="metadata-notes" rows={3} value={draft.notes} onChange={(event) => onChange('notes', event.target.value)} {...invalid('notes')} />
        {errorOf('notes')}
      </label>
      <div className="field-wide documents-toolbar">
        <button type="submit" data-testid="metadata-save" disabled={busy}>
          {t('documents.save')}
        </button>
      </div>
    </form>
  );
}

export function DocumentPagesView({
  document,
  pages,
  busy,
  onAction,
  onOpenPage,
}: {
  document: DocumentRecord;
  pages: ReadonlyMap<string, PageRecord>;
  busy: boolean;
  onAction: (action: DocumentAction) => void;
  onOpenPage: (pageId: string) => void;
}) {
  const { t, locale } = useI18n();
  const count = document.pages.length;
  const edit = (index: number, delta: -1 | 1) => {
    const reorder = moveEdit(document.pages, index, delta);
    if (reorder) onAction({ kind: 'pages', edit: reorder });
  };
  return (
    <section className="document-pages" aria-labelledby="document-pages-title">
      <h4 id="document-pages-title" className="field-label">
        {t('documents.pages', { count })}
      </h4>
      <ol className="document-page-list" data-testid="document-pages">
        {document.pages.map(({ pageId, rotation }, index) => {
          const page = pages.get(pageId);
          return (
            <li key={pageId} className="document-page" data-testid="document-page" data-page-id={pageId} data-rotation={rotation}>
              <span className="document-page-number">{index + 1}</span>
              <button type="button" className="link-button document-page-title" title={t('documents.viewPage')} onClick={() => onOpenPage(pageId)}>
                {page ? pageTitle(page.source, t) : pageId.slice(0, 12)}
              </button>
              <span className="document-page-meta">
                {page && formatCapturedAt(page.capturedAt, locale)}
                {rotation !== 0 && <span className="document-page-rotation"> · {t('documents.rotated', { value: rotation })}</span>}
              </span>
              <span className="document-page-tools">
                <button type="button" data-testid="page-move-up" aria-label={t('documents.moveUp')} title={t('documents.moveUp')} disabled={busy || index === 0} onClick={() => edit(index, -1)}>
                  ↑
                </button>
                <button type="button" data-testid="page-move-down" aria-label={t('documents.moveDown')} title={t('documents.moveDown')} disabled={busy || index === count - 1} onClick={() => edit(index, 1)}>
                  ↓
                </button>
                <button type="button" data-testid="page-rotate" aria-label={t('documents.rotate')} title={t('documents.rotate')} disabled={busy} onClick={() => onAction({ kind: 'pages', edit: { op: 'rotate', pageIds: [pageId], turn: 90 } })}>
                  ↻
                </button>
                <button type="button" data-testid="page-remove" title={count === 1 ? t('documents.removeLast') : undefined} disabled={busy || count === 1} onClick={() => onAction({ kind: 'pages', edit: { op: 'remove', pageIds: [pageId] } })}>
                  {t('documents.remove')}
                </button>
                {index > 0 && (
                  <button type="button" data-testid="page-split" title={t('documents.splitHint')} disabled={busy} onClick={() => onAction({ kind: 'split', at: index })}>
                    {t('documents.split')}
                  </button>
                )}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function AddPages({ busy, onAdd }: { busy: boolean; onAdd: (pageIds: string[]) => void }) {
  const free = useFreePages();
  const selection = usePageSelection();
  return (
    <AddPagesView
      pages={free ?? null}
      selected={selection.selected}
      busy={busy}
      onToggle={selection.toggle}
      onAdd={() => {
        const pageIds = selection.inOrder(free);
        if (pageIds.length > 0) onAdd(pageIds);
      }}
    />
  );
}

/** Pages that belong to no document (a rescan, a page found later), appended to this one. */
export function AddPagesView({
  pages,
  selected,
  busy,
  onToggle,
  onAdd,
}: {
  pages: readonly PageRecord[] | null;
  selected: ReadonlySet<string>;
  busy: boolean;
  onToggle: (pageId: string) => void;
  onAdd: () => void;
}) {
  const { t } = useI18n();
  const ticked = tickedFreePages(pages, selected);
  return (
    <details className="document-add-pages" data-testid="add-pages">
      <summary className="field-label">{t('documents.addPages')}</summary>
      <PagePicker pages={pages} selected={selected} testId="add-page" onToggle={onToggle} />
      <div className="documents-toolbar">
        <button type="button" data-testid="add-pages-button" disabled={busy || ticked === 0} onClick={onAdd}>
          {t('documents.addSelected', { count: ticked })}
        </button>
      </div>
    </details>
  );
}

export function MergeAndDelete({
  others,
  busy,
  onAction,
}: {
  /** Live documents other than this one. */
  others: readonly DocumentRecord[];
  busy: boolean;
  onAction: (action: DocumentAction) => void;
}) {
  const { t } = useI18n();
  const [source, setSource] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const chosen = others.some((other) => other.id === source) ? source : '';
  return (
    <section className="document-merge">
      <label className="field">
        <span className="field-label">{t('documents.mergeLabel')}</span>
        <span className="form-row">
          <select data-testid="merge-source" value={chosen} onChange={(event) => setSource(event.target.value)} disabled={others.length === 0}>
            <option value="">{others.length === 0 ? t('documents.mergeNone') : t('documents.mergeChoose')}</option>
            {others.map((other) => (
              <option key={other.id} value={other.id}>
                {[other.metadata.title || t('search.untitledDocument'), other.metadata.caseNumber].filter(Boolean).join(' · ')} ({t('pages.count', { count: other.pages.length })})
              </option>
            ))}
          </select>
          <button type="button" data-testid="merge-button" disabled={busy || chosen === ''} onClick={() => onAction({ kind: 'merge', sourceIds: [chosen] })}>
            {t('documents.merge')}
          </button>
        </span>
      </label>
      <div className="documents-toolbar">
        {confirmDelete ? (
          <>
            <span className="field-note">{t('documents.deleteConfirm')}</span>
            <button type="button" className="danger" data-testid="delete-confirm" disabled={busy} onClick={() => onAction({ kind: 'delete' })}>
              {t('documents.delete')}
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              {t('documents.cancel')}
            </button>
          </>
        ) : (
          <button type="button" data-testid="delete-document" disabled={busy} onClick={() => setConfirmDelete(true)}>
            {t('documents.delete')}
          </button>
        )}
      </div>
    </section>
  );
}

export function DocumentHistoryView({ history }: { history: readonly DocumentChange[] }) {
  const { t, locale } = useI18n();
  return (
    <details className="document-history" data-testid="document-history">
      <summary className="field-label">{t('documents.history', { count: history.length })}</summary>
      <ol reversed>
        {[...history].reverse().map((change) => (
          <li key={change.revision} data-testid="history-entry" data-action={change.action}>
            <span className="history-revision">{t('documents.revision', { value: change.revision })}</span>{' '}
            <span className="history-at">{formatCapturedAt(change.at, locale)}</span>{' '}
            <strong>{t(`documents.action.${change.action}`)}</strong>: {change.summary}
          </li>
        ))}
      </ol>
    </details>
  );
}
