import type { ErrorStore, ShownError } from '../errors/error-store';
import { useI18n } from '../i18n/I18nProvider';
import { useServices, useShownErrors } from './ServicesContext';

export function ErrorBanner() {
  const { errors } = useServices();
  return <ErrorBannerView shown={useShownErrors()} store={errors} />;
}

export function ErrorBannerView({ shown, store }: { shown: readonly ShownError[]; store: Pick<ErrorStore, 'dismiss' | 'dismissAll'> }) {
  const { t } = useI18n();
  if (shown.length === 0) return null;
  return (
    <section data-testid="error-banner" className="error-banner" role="alert" aria-label={t('errors.title')}>
      <ul className="error-list">
        {shown.map((error) => (
          <li key={error.id} className="error-item" data-error-code={error.code}>
            <span className="error-text">
              <strong>{t(error.context, error.params)}</strong>
              {': '}
              {t(`errors.code.${error.code}`)}
              {error.message && <span className="error-detail"> — {error.message}</span>}
              {error.count > 1 && <span className="error-count"> {t('errors.repeated', { count: error.count })}</span>}
            </span>
            <button type="button" className="link-button" onClick={() => store.dismiss(error.id)}>
              {t('errors.dismiss')}
            </button>
          </li>
        ))}
      </ul>
      {shown.length > 1 && (
        <button type="button" className="link-button dismiss-all" onClick={() => store.dismissAll()}>
          {t('errors.dismissAll')}
        </button>
      )}
    </section>
  );
}
