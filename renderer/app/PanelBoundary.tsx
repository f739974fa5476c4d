import { Component, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { useServices } from './ServicesContext';

interface Props {
  readonly children: ReactNode;
}

/** Keeps one panel's failure (a catalog query that threw, a bug) from blanking the whole window, and reports it. */
export function PanelBoundary({ children }: Props) {
  const { errors } = useServices();
  const { t } = useI18n();
  return (
    <Boundary
      onError={(error) => errors.report('errors.context.ui', error)}
      fallback={(retry) => (
        <div className="panel-failed" role="alert">
          <span>{t('errors.panelFailed')}</span>
          <button type="button" onClick={retry}>
            {t('errors.retry')}
          </button>
        </div>
      )}
    >
      {children}
    </Boundary>
  );
}

interface BoundaryProps {
  readonly children: ReactNode;
  readonly onError: (error: unknown) => void;
  readonly fallback: (retry: () => void) => ReactNode;
}

// React still catches render errors only in class components.
class Boundary extends Component<BoundaryProps, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    this.props.onError(error);
  }

  override render(): ReactNode {
    return this.state.failed ? this.props.fallback(() => this.setState({ failed: false })) : this.props.children;
  }
}
