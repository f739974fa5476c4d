import { useCallback, useEffect, useState } from 'react';
import { BatchesPanel } from '../batches/BatchesPanel';
import { CapturePanel } from '../capture/CapturePanel';
import { DocumentPanels } from '../documents/DocumentPanels';
import { I18nProvider } from '../i18n/I18nProvider';
import type { Locale } from '../i18n/catalogs';
import { isLocale, LOCALE_SETTING, localeFromPreferences } from '../i18n/choose-locale';
import { ImportPanel } from '../import/ImportPanel';
import { PageList } from '../pages/PageList';
import { SearchPanel } from '../search/SearchPanel';
import { SessionProvider } from '../session/SessionContext';
import { OcrSettingsPanel } from '../settings/OcrSettingsPanel';
import { PageViewer, type ViewerSelection } from '../viewer/PageViewer';
import { ErrorBanner } from './ErrorBanner';
import { Header } from './Header';
import { PanelBoundary } from './PanelBoundary';
import { ServicesProvider } from './ServicesContext';
import type { AppServices } from './services';

/** `locale` fixes the UI language (tests); otherwise the clerk's saved choice, else the system's. */
export function App({ services, locale: fixed }: { services: AppServices; locale?: Locale }) {
  const [locale, setLocale] = useState<Locale>(fixed ?? localeFromPreferences(navigator.languages));
  useEffect(() => {
    if (fixed) return;
    let current = true;
    services.catalog.settings.get(LOCALE_SETTING).then(
      (saved) => current && isLocale(saved?.value) && setLocale(saved.value),
      (error: unknown) => services.errors.report('errors.context.catalog', error),
    );
    return () => {
      current = false;
    };
  }, [services, fixed]);
  const choose = useCallback(
    (chosen: Locale) => {
      setLocale(chosen);
      services.catalog.settings.put({ key: LOCALE_SETTING, value: chosen }).catch((error: unknown) => services.errors.report('errors.context.catalog', error));
    },
    [services],
  );
  return (
    <I18nProvider locale={locale} {...(fixed ? {} : { onLocale: choose })}>
      <ServicesProvider services={services}>
        <SessionProvider>
          <Workstation />
        </SessionProvider>
      </ServicesProvider>
    </I18nProvider>
  );
}

/**
 * One screen for the clerk: bring pages in and batch them on the left, find them in the middle,
 * read them on the right. Who is signed in (the header) decides what the batch panel offers.
 */
function Workstation() {
  const [selection, setSelection] = useState<ViewerSelection | null>(null);
  const selectedId = selection?.pageId ?? null;

  return (
    <div className="app">
      <Header />
      <ErrorBanner />
      <main className="workspace">
        <aside className="column intake-column">
          <PanelBoundary>
            <CapturePanel />
          </PanelBoundary>
          <PanelBoundary>
            <ImportPanel />
          </PanelBoundary>
          <PanelBoundary>
            <OcrSettingsPanel />
          </PanelBoundary>
          <PanelBoundary>
            <PageList selectedId={selectedId} onOpen={(pageId) => setSelection({ pageId, terms: [] })} />
          </PanelBoundary>
          <PanelBoundary>
            <BatchesPanel />
          </PanelBoundary>
        </aside>
        <section className="column search-column">
          <PanelBoundary>
            <SearchPanel selectedId={selectedId} onOpen={(hit) => setSelection({ pageId: hit.pageId, terms: hit.terms })} />
          </PanelBoundary>
        </section>
        <section className="column viewer-column">
          <DocumentPanels onOpenPage={(pageId) => setSelection({ pageId, terms: [] })} />
          <PanelBoundary>
            <PageViewer selection={selection} onClose={() => setSelection(null)} />
          </PanelBoundary>
        </section>
      </main>
    </div>
  );
}
