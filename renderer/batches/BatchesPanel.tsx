import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { BatchVerification, PageRecord } from '../../common/api/contract';
import { useServices } from '../app/ServicesContext';
import type { CatalogBatch } from '../catalog/catalog-db';
import { describeError, type DescribedError } from '../errors/describe-error';
import { useI18n } from '../i18n/I18nProvider';
import { formatCapturedAt } from '../pages/format';
import { PAGE_LIST_LIMIT } from '../pages/PageList';
import { pageTitle } from '../pages/page-title';
import { actionErrorText } from '../session/action-error';
import { useSession, type SessionUser } from '../session/SessionContext';
import { batchActionsFor, canCountersign, currentReport, pageCounts, unbatchedPages, type BatchAction } from './batch-actions';
import { VerificationReport } from './VerificationReport';

/** What an action needs besides the batch: the person's passphrase, a rejection's reason. */
export interface ActionInput {
  readonly passphrase: string;
  readonly reason: string;
}

export interface NewBatch {
  readonly title: string;
  readonly expectedPages: number | undefined;
  readonly pageIds: readonly string[];
}

/** Batches from the catalog (kept by the batch sync), and what the signed-in person can do with them. */
export function BatchesPanel() {
  const { api, catalog } = useServices();
  const { state } = useSession();
  const user = state.known ? state.user : null;
  const batches = useLiveQuery(() => catalog.batches.orderBy('createdAt').reverse().toArray(), [catalog]);
  const pages = useLiveQuery(() => catalog.pages.orderBy('capturedAt').reverse().limit(PAGE_LIST_LIMIT).toArray(), [catalog]);
  const [reports, setReports] = useState<Readonly<Record<string, BatchVerification>>>({});
  const [errors, setErrors] = useState<Readonly<Record<string, DescribedError>>>({});
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());

  // Every action reports its failure beside the batch (or the new-batch form) it came from.
  const run = async (key: string, work: () => Promise<void>): Promise<boolean> => {
    setBusy((current) => new Set(current).add(key));
    setErrors(({ [key]: _cleared, ...rest }) => rest);
    try {
      await work();
      return true;
    } catch (error) {
      setErrors((previous) => ({ ...previous, [key]: describeError(error) }));
      return false;
    } finally {
      setBusy((current) => {
        const rest = new Set(current);
        rest.delete(key);
        return rest;
      });
    }
  };

  const act = (batch: CatalogBatch, action: BatchAction, input: ActionInput) =>
    run(batch.id, async () => {
      const batchId = batch.id;
      switch (action) {
        case 'seal':
          await api['batches.seal']({ batchId, keyId: requireKey(user), passphrase: input.passphrase });
          return;
        case 'verify': {
          const { report } = await api['batches.verify']({ batchId });
          setReports((previous) => ({ ...previous, [batchId]: report }));
          return;
        }
        case 'countersign':
          await api['batches.countersign']({ batchId, keyId: requireKey(user), passphrase: input.passphrase });
          return;
        case 'reject':
          await api['batches.reject']({ batchId, reason: input.reason, keyId: requireKey(user), passphrase: input.passphrase });
          return;
        case 'reopen':
          await api['batches.reopen']({ batchId });
          return;
        case 'queue':
          await api['batches.queueForSync']({ batchId });
          return;
      }
    });

  const open = (batch: NewBatch) =>
    run(NEW_BATCH, async () => {
      await api['batches.open']({ title: batch.title, pageIds: [...batch.pageIds], ...(batch.expectedPages === undefined ? {} : { expectedPages: batch.expectedPages }) });
    });

  return (
    <BatchesView
      user={user}
      batches={batches ?? null}
      unbatched={batches && pages ? unbatchedPages(pages, batches) : []}
      reports={reports}
      errors={errors}
      busy={busy}
      onAct={act}
      onOpen={open}
    />
  );
}

const NEW_BATCH = 'new-batch';

function requireKey(user: SessionUser | null): string {
  // The services check this too; the panel offers no signing action to someone not signed in.
  if (!user) throw new Error('Nobody is signed in.');
  return user.keyId;
}

export function BatchesView({
  user,
  batches,
  unbatched,
  reports,
  errors,
  busy,
  onAct,
  onOpen,
}: {
  user: SessionUser | null;
  /** null while the catalog is read. */
  batches: readonly CatalogBatch[] | null;
  unbatched: readonly PageRecord[];
  reports: Readonly<Record<string, BatchVerification>>;
  errors: Readonly<Record<string, DescribedError>>;
  /** The batches (and NEW_BATCH) with an action under way: each its own, so one ending frees only itself. */
  busy: ReadonlySet<string>;
  onAct: (batch: CatalogBatch, action: BatchAction, input: ActionInput) => Promise<boolean>;
  onOpen: (batch: NewBatch) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const newBatchError = errors[NEW_BATCH];
  return (
    // Shares the intake column with the page list: each takes half of what is left, and scrolls.
    <section className="panel batches-panel" data-testid="batches-panel" aria-labelledby="batches-title" style={{ flex: '1 1 0', minHeight: '14rem', overflow: 'auto' }}>
      <h2 id="batches-title" className="panel-title">
        {t('batches.title')}
        {batches && <span className="panel-count">{t('batches.count', { count: batches.length })}</span>}
      </h2>
      {!user && <p className="empty-note" data-testid="batches-sign-in-note">{t('batches.signInNote')}</p>}
      {user?.role === 'clerk' && <OpenBatchForm unbatched={unbatched} busy={busy.has(NEW_BATCH)} onOpen={onOpen} />}
      {newBatchError && (
        <p className="inline-error" data-testid="batch-error" data-code={newBatchError.code}>
          {actionErrorText(newBatchError, t)}
        </p>
      )}
      {batches === null ? (
        <p className="empty-note">{t('batches.loading')}</p>
      ) : batches.length === 0 ? (
        <p className="empty-note">{t('batches.empty')}</p>
      ) : (
        <ul className="batch-list" style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: '0.5rem' }}>
          {batches.map((batch) => (
            <BatchItem key={batch.id} batch={batch} user={user} report={currentReport(batch, reports[batch.id])} error={errors[batch.id]} busy={busy.has(batch.id)} onAct={onAct} />
          ))}
        </ul>
      )}
    </section>
  );
}

function OpenBatchForm({ unbatched, busy, onOpen }: { unbatched: readonly PageRecord[]; busy: boolean; onOpen: (batch: NewBatch) => Promise<boolean> }) {
  const { t, locale } = useI18n();
  const [title, setTitle] = useState('');
  const [expected, setExpected] = useState('');
  // Pages left out by the clerk; every other unbatched page goes in.
  const [leftOut, setLeftOut] = useState<ReadonlySet<string>>(new Set());
  const chosen = unbatched.filter((page) => !leftOut.has(page.id)).map((page) => page.id);
  const expectedPages = expected.trim() === '' ? undefined : Number(expected);
  const valid = title.trim() !== '' && (expectedPages === undefined || (Number.isInteger(expectedPages) && expectedPages >= 0));
  return (
    <details className="batch-open" data-testid="batch-open">
      <summary>{t('batches.open.title')}</summary>
      <form
        data-testid="batch-open-form"
        style={{ display: 'grid', gap: '0.4rem' }}
        onSubmit={(event) => {
          event.preventDefault();
          if (!valid) return;
          void onOpen({ title: title.trim(), expectedPages, pageIds: chosen }).then((opened) => {
            if (!opened) return;
            setTitle('');
            setExpected('');
            setLeftOut(new Set());
          });
        }}
      >
        <label>
          <span>{t('batches.open.name')}</span>
          <input data-testid="batch-title" value={title} onChange={(event) => setTitle(event.target.value)} />
        </label>
        <label>
          <span>{t('batches.open.expected')}</span>
          <input data-testid="batch-expected" type="number" min={0} step={1} value={expected} onChange={(event) => setExpected(event.target.value)} />
        </label>
        <fieldset>
          <legend>{t('batches.open.pages', { count: chosen.length })}</legend>
          {unbatched.length === 0 ? (
            <p className="empty-note">{t('batches.open.noPages')}</p>
          ) : (
            <ul className="batch-page-choices" style={{ listStyle: 'none', margin: 0, padding: 0, maxHeight: '10rem', overflow: 'auto' }}>
              {unbatched.map((page) => (
                <li key={page.id}>
                  <label>
                    <input
                      type="checkbox"
                      data-testid="batch-page-choice"
                      data-page-id={page.id}
                      checked={!leftOut.has(page.id)}
                      onChange={(event) =>
                        setLeftOut((previous) => {
                          const next = new Set(previous);
                          if (event.target.checked) next.delete(page.id);
                          else next.add(page.id);
                          return next;
                        })
                      }
                    />{' '}
                    {pageTitle(page.source, t)} <span className="result-date">{formatCapturedAt(page.capturedAt, locale)}</span>
                  </label>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <button type="submit" data-testid="batch-open-button" disabled={busy || !valid}>
          {t('batches.open.submit')}
        </button>
      </form>
    </details>
  );
}

export function BatchItem({
  batch,
  user,
  report,
  error,
  busy,
  onAct,
}: {
  batch: CatalogBatch;
  user: SessionUser | null;
  report: BatchVerification | undefined;
  error: DescribedError | undefined;
  busy: boolean;
  onAct: (batch: CatalogBatch, action: BatchAction, input: ActionInput) => Promise<boolean>;
}) {
  const { t, locale } = useI18n();
  const [passphrase, setPassphrase] = useState('');
  const [reason, setReason] = useState('');
  const actions = batchActionsFor(batch, user);
  const counts = pageCounts(batch);
  const signs = actions.some((action) => action === 'seal' || action === 'countersign' || action === 'reject');
  const act = (action: BatchAction) =>
    void onAct(batch, action, { passphrase, reason: reason.trim() }).then((done) => {
      if (!done) return;
      setPassphrase('');
      if (action === 'reject') setReason('');
    });
  return (
    <li className="batch-item" data-testid="batch-item" data-batch-id={batch.id} data-state={batch.state} style={{ borderTop: '1px solid var(--border)', paddingTop: '0.4rem', display: 'grid', gap: '0.3rem' }}>
      <div className="batch-head">
        <strong className="batch-title">{batch.title}</strong> <span className={`status-badge batch-state-${batch.state}`}>{t(`batch.state.${batch.state}`)}</span>
      </div>
      <div className="batch-meta">
        <span data-testid="batch-counts" data-expected={counts.expected ?? ''} data-received={counts.received} className={counts.matches === false ? 'inline-error' : undefined}>
          {counts.expected === undefined ? t('batches.counts.uncounted', { received: counts.received }) : t('batches.counts', { expected: counts.expected, received: counts.received })}
        </span>
        {' · '}
        <span>{t('batches.openedBy', { user: batch.createdBy, date: formatCapturedAt(batch.createdAt, locale) })}</span>
        {batch.seals.length > 0 && <span> · {t('batches.sealedBy', { user: batch.seals.at(-1)?.sealedBy ?? '', seal: batch.seals.length })}</span>}
      </div>
      {batch.rejection && (
        <p className="batch-rejection" data-testid="batch-rejection">
          {t('batches.rejectedBecause', { user: batch.rejection.by, reason: batch.rejection.reason })}
        </p>
      )}
      {actions.length > 0 && (
        <div className="batch-actions" style={{ display: 'flex', flexWrap: 'wrap', gap: '0.4rem', alignItems: 'end' }}>
          {signs && (
            <label>
              <span>{t('batches.passphrase')}</span>
              <input data-testid="batch-passphrase" type="password" autoComplete="current-password" value={passphrase} onChange={(event) => setPassphrase(event.target.value)} />
            </label>
          )}
          {actions.includes('seal') && (
            <button type="button" data-testid="batch-seal" disabled={busy || passphrase === '' || batch.pages.length === 0} onClick={() => act('seal')}>
              {t('batches.action.seal')}
            </button>
          )}
          {actions.includes('verify') && (
            <button type="button" data-testid="batch-verify" disabled={busy} onClick={() => act('verify')}>
              {t('batches.action.verify')}
            </button>
          )}
          {actions.includes('countersign') && (
            <button
              type="button"
              data-testid="batch-countersign"
              disabled={busy || passphrase === '' || !canCountersign(batch, report)}
              title={canCountersign(batch, report) ? undefined : t('batches.countersignNeedsReport')}
              onClick={() => act('countersign')}
            >
              {t('batches.action.countersign')}
            </button>
          )}
          {actions.includes('reject') && (
            <>
              <label>
                <span>{t('batches.reason')}</span>
                <input data-testid="batch-reject-reason" value={reason} onChange={(event) => setReason(event.target.value)} />
              </label>
              <button type="button" data-testid="batch-reject" disabled={busy || passphrase === '' || reason.trim() === ''} onClick={() => act('reject')}>
                {t('batches.action.reject')}
              </button>
            </>
          )}
          {actions.includes('reopen') && (
            <button type="button" data-testid="batch-reopen" disabled={busy} onClick={() => act('reopen')}>
              {t('batches.action.reopen')}
            </button>
          )}
          {actions.includes('queue') && (
            <button type="button" data-testid="batch-queue" disabled={busy} onClick={() => act('queue')}>
              {t('batches.action.queue')}
            </button>
          )}
        </div>
      )}
      {busy && <p className="empty-note">{t('batches.working')}</p>}
      {error && (
        <p className="inline-error" data-testid="batch-error" data-code={error.code}>
          {actionErrorText(error, t)}
        </p>
      )}
      {report && <VerificationReport report={report} />}
    </li>
  );
}
