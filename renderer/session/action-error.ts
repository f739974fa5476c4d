import type { DescribedError } from '../errors/describe-error';
import { errorText } from '../errors/error-text';
import type { Translate } from '../i18n/translate';

/**
 * A failed sign-in or batch action, for the form it came from. `unauthorized` there means a
 * wrong passphrase or someone else's key, not the refused connection the banner's text is about.
 */
export function actionErrorText(error: DescribedError, t: Translate): string {
  if (error.code === 'unauthorized') return `${t('session.error.unauthorized')} — ${error.message}`;
  return errorText(error, t);
}
