import type { PageStatus } from '../../common/api/contract';
import { useI18n } from '../i18n/I18nProvider';

export function StatusBadge({ status }: { status: PageStatus }) {
  const { t } = useI18n();
  return <span className={`status-badge status-${status}`}>{t(`page.status.${status}`)}</span>;
}
