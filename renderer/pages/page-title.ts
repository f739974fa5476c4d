import type { PageSource } from '../../common/api/contract';
import type { Translate } from '../i18n/translate';

/** What a clerk recognises a page by: the imported file's name, or the scanner it came from. */
export function pageTitle(source: { readonly fileName: string; readonly deviceId: string } | PageSource, t: Translate): string {
  if ('kind' in source) return source.kind === 'import' ? source.fileName : t('page.scanFrom', { device: source.deviceId });
  return source.fileName !== '' ? source.fileName : t('page.scanFrom', { device: source.deviceId });
}
