import { useState, type ChangeEvent } from 'react';
import { useServices } from '../app/ServicesContext';
import { errorText } from '../errors/error-text';
import { useI18n } from '../i18n/I18nProvider';
import type { Translate } from '../i18n/translate';
import { importFiles, importOneFile, type ImportState } from './import-files';
import { readAsBase64 } from './read-file';

/** What the file picker offers; the services decide what they can really read. */
export const ACCEPTED_TYPES = 'image/png,image/jpeg,image/tiff,application/pdf';

interface Row {
  readonly key: string;
  readonly name: string;
  readonly state: ImportState;
}

export function ImportPanel() {
  const { api, sync, errors } = useServices();
  const { t } = useI18n();
  const [rows, setRows] = useState<readonly Row[]>([]);

  const onChoose = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    // Cleared so that choosing the same file again (after fixing it) imports it again.
    event.target.value = '';
    if (files.length === 0) return;
    const batch = Date.now();
    setRows(files.map((file, index) => ({ key: `${batch}-${index}`, name: file.name, state: { phase: 'queued' } })));

    void importFiles<File>(files, {
      read: readAsBase64,
      send: async (file) => {
        const pages = await importOneFile(api, file);
        // The pages also arrive as events; taking them in now shows them without waiting.
        sync.ingest(pages).catch((error: unknown) => errors.report('errors.context.page-event', error));
        return pages;
      },
      onState: (index, state) => {
        setRows((current) => current.map((row, i) => (i === index && row.key.startsWith(`${batch}-`) ? { ...row, state } : row)));
        const file = files[index];
        if (state.phase === 'failed' && file) errors.reportDescribed('errors.context.import', state.error, { file: file.name });
      },
    });
  };

  const stored = rows.filter((row) => row.state.phase === 'stored').length;

  return (
    <section className="panel import-panel" aria-labelledby="import-title">
      <h2 id="import-title" className="panel-title">
        {t('import.title')}
      </h2>
      <label className="file-picker">
        <span className="field-label">{t('import.choose')}</span>
        <input data-testid="import-input" type="file" multiple accept={ACCEPTED_TYPES} onChange={onChoose} />
      </label>
      {rows.length > 0 && (
        <>
          <ul className="import-list">
            {rows.map((row) => (
              <li key={row.key} className={`import-row import-${row.state.phase}`} data-import-state={row.state.phase}>
                <span className="import-name" title={row.name}>
                  {row.name}
                </span>
                <span className="import-state">{importStateText(row.state, t)}</span>
              </li>
            ))}
          </ul>
          <div className="import-summary">
            <span>{t('import.summary', { stored, total: rows.length })}</span>
            <button type="button" className="link-button" onClick={() => setRows([])}>
              {t('import.clear')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

export function importStateText(state: ImportState, t: Translate): string {
  switch (state.phase) {
    case 'queued':
      return t('import.state.queued');
    case 'reading':
      return t('import.state.reading');
    case 'sending':
      return t('import.state.sending');
    case 'stored':
      return t('import.state.stored');
    case 'failed':
      return t('import.state.failed', { message: errorText(state.error, t) });
  }
}
