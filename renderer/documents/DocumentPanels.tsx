import { PanelBoundary } from '../app/PanelBoundary';
import { MaintenancePanel } from '../maintenance/MaintenancePanel';
import { DocumentsPanel } from './DocumentsPanel';

/** The clerk's documents and the archive's maintenance, each failing on its own; placed above the page viewer. */
export function DocumentPanels({ onOpenPage }: { onOpenPage: (pageId: string) => void }) {
  return (
    <>
      <PanelBoundary>
        <DocumentsPanel onOpenPage={onOpenPage} />
      </PanelBoundary>
      <PanelBoundary>
        <MaintenancePanel />
      </PanelBoundary>
    </>
  );
}
