import { useEffect, useState } from 'react';
import type { OcrSettings } from '../../common/api/contract';
import { useServices } from '../app/ServicesContext';
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/I18nProvider';

/** Language sets a clerk chooses between, main language first; each is offered when its models are installed. */
const LATIN_CHOICES: readonly { readonly languages: string; readonly label: MessageKey }[] = [
  { languages: 'sqi+eng', label: 'settings.ocr.sqiEng' },
  { languages: 'eng+sqi', label: 'settings.ocr.engSqi' },
  { languages: 'srp_latn+sqi', label: 'settings.ocr.srpLatnSqi' },
  { languages: 'eng', label: 'settings.ocr.eng' },
];
const CYRILLIC_CHOICES: readonly { readonly languages: string; readonly label: MessageKey }[] = [
  { languages: 'srp', label: 'settings.ocr.srp' },
  { languages: 'srp+eng', label: 'settings.ocr.srpEng' },
];

type Choices = readonly { readonly languages: string; readonly label: string }[];

/** The choices whose models are installed, and the current setting even when it is none of them (set by an administrator). */
export function languageChoices(
  choices: readonly { readonly languages: string; readonly label: MessageKey }[],
  installed: readonly string[],
  current: string,
  t: (key: MessageKey) => string,
): Choices {
  const offered = choices
    .filter((choice) => choice.languages.split('+').every((code) => installed.includes(code)))
    .map((choice) => ({ languages: choice.languages, label: t(choice.label) }));
  return offered.some((choice) => choice.languages === current) ? offered : [{ languages: current, label: current }, ...offered];
}

type Loaded = { readonly settings: OcrSettings; readonly installed: readonly string[]; readonly cores: number };

/** The workstation's OCR settings; a change applies from the next page on. */
export function OcrSettingsPanel() {
  const { api, errors } = useServices();
  const { t } = useI18n();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let current = true;
    api['ocr.getSettings']({}).then(
      ({ settings, installedLanguages, cores }) => current && setLoaded({ settings, installed: installedLanguages, cores }),
      (error: unknown) => errors.report('errors.context.ocrSettings', error),
    );
    return () => {
      current = false;
    };
  }, [api, errors]);

  if (!loaded) return null;
  const save = (settings: OcrSettings) => {
    setSaved(false);
    api['ocr.updateSettings'](settings).then(
      (result) => {
        setLoaded({ ...loaded, settings: result.settings });
        setSaved(true);
      },
      (error: unknown) => errors.report('errors.context.ocrSettings', error),
    );
  };
  return (
    <details className="panel settings-panel" data-testid="ocr-settings">
      <summary className="panel-title">{t('settings.ocr.title')}</summary>
      {/* Keyed by what was saved, so the form starts again from the settings now in force. */}
      <OcrSettingsView key={JSON.stringify(loaded.settings)} {...loaded} saved={saved} onSave={save} />
    </details>
  );
}

export function OcrSettingsView({ settings, installed, cores, saved, onSave }: Loaded & { saved: boolean; onSave: (settings: OcrSettings) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<OcrSettings>(settings);
  const change = (patch: Partial<OcrSettings>) => setDraft({ ...draft, ...patch });
  // More threads than cores only queue for the same cores, at 150 MB each.
  const workerChoices = Array.from({ length: Math.max(cores, settings.workers) }, (_, index) => index + 1);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onSave(draft);
      }}
    >
      <LanguageSelect
        testId="ocr-latin-languages"
        label={t('settings.ocr.latin')}
        choices={languageChoices(LATIN_CHOICES, installed, draft.languages, t)}
        value={draft.languages}
        onChange={(languages) => change({ languages })}
      />
      <LanguageSelect
        testId="ocr-cyrillic-languages"
        label={t('settings.ocr.cyrillic')}
        choices={languageChoices(CYRILLIC_CHOICES, installed, draft.cyrillicLanguages, t)}
        value={draft.cyrillicLanguages}
        onChange={(cyrillicLanguages) => change({ cyrillicLanguages })}
      />
      <label className="field">
        <span className="field-label">{t('settings.ocr.workers')}</span>
        <select data-testid="ocr-workers" value={draft.workers} onChange={(event) => change({ workers: Number(event.target.value) })}>
          {workerChoices.map((count) => (
            <option key={count} value={count}>
              {count}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t('settings.ocr.reviewBelow')}</span>
        <input
          data-testid="ocr-review-below"
          type="number"
          min={0}
          max={100}
          step={1}
          value={draft.reviewBelowConfidence}
          onChange={(event) => change({ reviewBelowConfidence: Math.min(100, Math.max(0, Math.round(Number(event.target.value) || 0))) })}
        />
      </label>
      <button type="submit" data-testid="ocr-settings-save">
        {t('settings.ocr.save')}
      </button>
      {saved && <p className="field-note" data-testid="ocr-settings-saved">{t('settings.ocr.saved')}</p>}
    </form>
  );
}

function LanguageSelect({ testId, label, choices, value, onChange }: { testId: string; label: string; choices: Choices; value: string; onChange: (languages: string) => void }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <select data-testid={testId} value={value} onChange={(event) => onChange(event.target.value)}>
        {choices.map((choice) => (
          <option key={choice.languages} value={choice.languages}>
            {choice.label}
          </option>
        ))}
      </select>
    </label>
  );
}
