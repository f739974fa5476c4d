import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../common/api/contract';
import { locales } from '../i18n/catalogs';
import { isLocale, LOCALE_NAMES } from '../i18n/choose-locale';
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/I18nProvider';
import type { Translate } from '../i18n/translate';
import { SignInControl } from '../session/SignInControl';
import { useServices } from './ServicesContext';

export type AppInfo = MethodOutput<'app.getInfo'>;

export function Header() {
  const { api, errors } = useServices();
  const [info, setInfo] = useState<AppInfo | null>(null);

  useEffect(() => {
    let current = true;
    api['app.getInfo']({}).then(
      (answer) => current && setInfo(answer),
      (error: unknown) => current && errors.report('errors.context.app-info', error),
    );
    return () => {
      current = false;
    };
  }, [api, errors]);

  return <HeaderView info={info} />;
}

export function HeaderView({ info }: { info: AppInfo | null }) {
  const { t } = useI18n();
  return (
    <header className="app-header">
      <h1 className="app-name">{t('app.name')}</h1>
      {info && <span className="app-version">{t('header.version', { version: info.version })}</span>}
      <span className="header-spacer" />
      <span className="ocr-languages" title={t('header.ocrLanguages')}>
        <span className="header-label">{t('header.ocrLanguages')}</span>
        {info === null ? (
          '…'
        ) : info.ocrLanguages.length === 0 ? (
          <span className="language-chip language-missing">{t('header.ocrLanguagesNone')}</span>
        ) : (
          info.ocrLanguages.map((code) => (
            <span key={code} className="language-chip" title={code}>
              {languageName(code, t)}
            </span>
          ))
        )}
      </span>
      <LocaleMenu />
      <SignInControl />
      <span data-testid="host-badge" className={`host-badge${info ? ` host-${info.host}` : ''}`}>
        <span className="header-label">{t('header.host')}</span> {info?.host ?? '…'}
      </span>
    </header>
  );
}

const KNOWN_LANGUAGES: Readonly<Record<string, MessageKey>> = {
  sqi: 'language.sqi',
  srp: 'language.srp',
  srp_latn: 'language.srp_latn',
  eng: 'language.eng',
};

/** Tesseract language codes, named for a clerk; an unknown code is shown as it is. */
export function languageName(code: string, t: Translate): string {
  const key = KNOWN_LANGUAGES[code];
  return key ? t(key) : code;
}

/** The UI language, each named in itself; shown only where the language can be changed. */
function LocaleMenu() {
  const { t, locale, setLocale } = useI18n();
  if (!setLocale) return null;
  return (
    <label className="locale-menu">
      <span className="header-label">{t('header.uiLanguage')}</span>
      <select data-testid="ui-language" value={locale} onChange={(event) => isLocale(event.target.value) && setLocale(event.target.value)}>
        {locales.map((option) => (
          <option key={option} value={option} lang={option}>
            {LOCALE_NAMES[option]}
          </option>
        ))}
      </select>
    </label>
  );
}
