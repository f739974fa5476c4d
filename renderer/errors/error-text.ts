import type { Translate } from '../i18n/translate';
import type { DescribedError } from './describe-error';

/** One line for a failure: what kind it is, in the UI language, then the detail as reported. */
export function errorText(error: DescribedError, t: Translate): string {
  return `${t(`errors.code.${error.code}`)} — ${error.message}`;
}
