import { useState } from 'react';
import type { FixityReport } from '../../common/api/contract';
import { useServices } from '../app/ServicesContext';
import { describeError, type DescribedError } from '../errors/describe-error';
import { errorText } from '../errors/error-text';
import { useI18n } from '../i18n/I18nProvider';
import { rebuildCaches, type RebuildProgress, type RebuildResult } from './rebuild-caches';
import './maintenance.css';

export type FixityState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'checking' }
  | { readonly phase: 'done'; readonly report: FixityReport }
  | { readonly phase: 'failed'; readonly error: DescribedError };

export type RebuildState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'running'; readonly progress: RebuildProgress }
  | { readonly phase: 'done'; readonly result: RebuildResult }
  | { readonly phase: 'failed'; readonly error: DescribedError };

/**
 * Looking after the archive from the window: re-hash everything it holds (fixity), and throw away
 * this window's catalog and search index and fill them again from the archive alone.
 */
export function MaintenancePanel() {
  const services = useServices();
  const [fixity, setFixity] = useState<FixityState>({ phase: 'idle' });
  const [rebuild, setRebuild] = useState<RebuildState>({ phase: 'idle' });

  const check = () => {
    setFixity({ phase: 'checking' });
    services.api['archive.checkFixity']({}).then(
      (report) => setFixity({ phase: 'done', report }),
      (error: unknown) => setFixity({ phase: 'failed', error: describeError(error) }),
    );
  };
  const run = () => {
    setRebuild({ phase: 'running', progress: { phase: 'reading' } });
    rebuildCaches(services, (progress) => setRebuild({ phase: 'running', progress })).then(
      (result) => setRebuild({ phase: 'done', result }),
      (error: unknown) => setRebuild({ phase: 'failed', error: describeError(error) }),
    );
  };
  return <MaintenanceView fixity={fixity} rebuild={rebuild} onCheck={check} onRebuild={run} />;
}

export function MaintenanceView({ fixity, rebuild, onCheck, onRebuild }: { fixity: FixityState; rebuild: RebuildState; onCheck: () => void; onRebuild: () => void }) {
  const { t } = useI18n();
  return (
    <details className="panel maintenance-panel" data-testid="maintenance-panel">
      <summary className="panel-title">{t('maintenance.title')}</summary>
      <section className="maintenance-section">
        <p className="field-note">{t('maintenance.fixityHint')}</p>
        <div className="maintenance-actions">
          <button type="button" data-testid="check-fixity" disabled={fixity.phase === 'checking'} onClick={onCheck}>
            {t('maintenance.check')}
          </button>
        </div>
        <FixityView state={fixity} />
      </section>
      <section className="maintenance-section">
        <p className="field-note">{t('maintenance.rebuildHint')}</p>
        <div className="maintenance-actions">
          <button type="button" data-testid="rebuild-caches" disabled={rebuild.phase === 'running'} onClick={onRebuild}>
            {t('maintenance.rebuild')}
          </button>
        </div>
        <RebuildView state={rebuild} />
      </section>
    </details>
  );
}

export function FixityView({ state }: { state: FixityState }) {
  const { t } = useI18n();
  if (state.phase === 'idle') return null;
  if (state.phase === 'checking') return <p className="status-line tone-busy" data-testid="fixity-result" data-state="checking">{t('maintenance.checking')}</p>;
  if (state.phase === 'failed') {
    return (
      <p className="inline-error" role="alert" data-testid="fixity-result" data-state="failed">
        {t('maintenance.checkFailed', { message: errorText(state.error, t) })}
      </p>
    );
  }
  const { report } = state;
  const { checked } = report;
  return (
    <div data-testid="fixity-result" data-state={report.ok ? 'intact' : 'problems'}>
      <p className={`status-line ${report.ok ? 'tone-success' : 'tone-error'}`}>
        {report.ok ? t('maintenance.intact') : t('maintenance.problems', { count: report.problems.length })}
      </p>
      <p className="field-note">
        {t('maintenance.checked', {
          originals: checked.originals,
          derived: checked.derived,
          pages: checked.pages,
          revisions: checked.documentRevisions,
          size: formatBytes(checked.bytes),
        })}
      </p>
      {report.problems.length > 0 && (
        <ul className="fixity-list">
          {report.problems.map((problem, index) => (
            <li key={index} className="fixity-problem" data-testid="fixity-problem" data-kind={problem.kind}>
              <strong>{t(`maintenance.kind.${problem.kind}`)}</strong> <code>{problem.path}</code>
              <div className="fixity-message">{problem.message}</div>
            </li>
          ))}
        </ul>
      )}
      {report.notes.length > 0 && (
        <>
          <p className="field-note">{t('maintenance.notes', { count: report.notes.length })}</p>
          <ul className="fixity-list">
            {report.notes.map((note, index) => (
              <li key={index} className="fixity-note" data-testid="fixity-note" data-kind={note.kind}>
                <strong>{t(`maintenance.kind.${note.kind}`)}</strong> <code>{note.path}</code>
                <div className="fixity-message">{note.message}</div>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function RebuildView({ state }: { state: RebuildState }) {
  const { t } = useI18n();
  if (state.phase === 'idle') return null;
  if (state.phase === 'failed') {
    return (
      <p className="inline-error" role="alert" data-testid="rebuild-result" data-state="failed">
        {t('maintenance.rebuildFailed', { message: errorText(state.error, t) })}
      </p>
    );
  }
  if (state.phase === 'running') {
    const { progress } = state;
    return (
      <div data-testid="rebuild-result" data-state="running">
        <p className="status-line tone-busy">
          {progress.phase === 'reading' && t('maintenance.rebuild.reading')}
          {progress.phase === 'clearing' && t('maintenance.rebuild.clearing')}
          {progress.phase === 'documents' && t('maintenance.rebuild.documents', { count: progress.total })}
          {progress.phase === 'pages' && t('maintenance.rebuild.pages', { done: progress.done, total: progress.total })}
        </p>
        {progress.phase === 'pages' && <progress max={Math.max(progress.total, 1)} value={progress.done} />}
      </div>
    );
  }
  const { result } = state;
  return (
    <div data-testid="rebuild-result" data-state="done" data-pages={result.pages} data-documents={result.liveDocuments}>
      <p className="status-line tone-success">
        {t('maintenance.rebuilt', { pages: result.pages, documents: result.liveDocuments, deleted: result.documents - result.liveDocuments, persons: result.persons })}
      </p>
      {result.unreadable.length > 0 && (
        <>
          <p className="inline-error">{t('maintenance.unreadable', { count: result.unreadable.length })}</p>
          <ul className="fixity-list">
            {result.unreadable.map((file, index) => (
              <li key={index} data-testid="rebuild-unreadable">
                <code>{file.path}</code>
                <div className="fixity-message">{file.reason}</div>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** Bytes as a clerk reads them: 1.4 MB, 820 KB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
