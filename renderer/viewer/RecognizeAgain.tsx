import { useEffect, useState } from 'react';
import type { PageStatus } from '../../common/api/contract';
import { useServices } from '../app/ServicesContext';
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/I18nProvider';

/**
 * What a clerk may ask a page to be read as. "Automatic" lets the engine choose by the script it
 * detects; the others are for the pages it gets wrong (a Serbian Latin page read as Albanian, …).
 */
export const RECOGNITION_CHOICES: readonly { readonly languages: string; readonly label: MessageKey }[] = [
  { languages: '', label: 'reocr.automatic' },
  { languages: 'sqi+eng', label: 'reocr.albanian' },
  { languages: 'srp', label: 'reocr.serbianCyrillic' },
  { languages: 'srp_latn+sqi', label: 'reocr.serbianLatin' },
  { languages: 'eng', label: 'reocr.english' },
];

/** The choices whose models this workstation has; "Automatic" always. */
export function availableChoices(installed: readonly string[]): typeof RECOGNITION_CHOICES {
  return RECOGNITION_CHOICES.filter((choice) => choice.languages === '' || choice.languages.split('+').every((code) => installed.includes(code)));
}

/** Asks the services to OCR the open page again, ahead of batch work, in the languages chosen. */
export function RecognizeAgain({ pageId, status }: { pageId: string; status: PageStatus }) {
  const { api, errors } = useServices();
  const [installed, setInstalled] = useState<readonly string[]>([]);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    let current = true;
    api['app.getInfo']({}).then(
      (info) => current && setInstalled(info.ocrLanguages),
      // Without the list only "Automatic" is offered; the header already reports the failure.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api]);

  const submit = (languages: string) => {
    setSending(true);
    api['pages.recognizeAgain'](languages === '' ? { pageId } : { pageId, languages })
      .catch((error: unknown) => errors.report('errors.context.recognizeAgain', error))
      .finally(() => setSending(false));
  };
  return <RecognizeAgainView choices={availableChoices(installed)} busy={sending || status === 'pending-ocr'} onSubmit={submit} />;
}

export function RecognizeAgainView({
  choices,
  busy,
  onSubmit,
}: {
  choices: typeof RECOGNITION_CHOICES;
  /** Sent, or already waiting for OCR: a second request would only queue behind the first. */
  busy: boolean;
  onSubmit: (languages: string) => void;
}) {
  const { t } = useI18n();
  const [languages, setLanguages] = useState('');
  return (
    <form
      className="recognize-again"
      data-testid="recognize-again"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(languages);
      }}
    >
      <label>
        {t('reocr.languages')}{' '}
        <select data-testid="recognize-languages" value={languages} onChange={(event) => setLanguages(event.target.value)}>
          {choices.map((choice) => (
            <option key={choice.languages} value={choice.languages}>
              {t(choice.label)}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={busy} data-testid="recognize-again-button">
        {busy ? t('reocr.queued') : t('reocr.run')}
      </button>
    </form>
  );
}
