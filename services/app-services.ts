import path from 'node:path';
import { ArchiveStore } from './archive/archive-store';
import { createDispatcher, type Dispatch } from './api/dispatcher';
import { EventBus } from './api/event-bus';
import { createHandlers } from './api/handlers';
import { PageIntake } from './pages/page-intake';
import { PageRecognition } from './pages/page-recognition';
import { createOcrEngine, type OcrEngine } from './ocr/ocr-engine';
import { availableLanguages } from './ocr/tessdata';
import { defaultOcrSettings, ocrSettingsFromEnv } from './ocr/ocr-settings';
import { OcrSettingsStore } from './ocr/ocr-settings-store';
import { CaptureJobs } from './capture/capture-jobs';
import { createDefaultScanner } from './capture/default-scanner';
import { importFile } from './capture/file-import';
import { HotFolder } from './capture/hot-folder';
import { DocumentStore } from './documents/document-store';
import { startBatchServices } from './batches/batch-services';
import { WORKSTATION_ACTOR, WorkstationSession } from './session/workstation-session';
import type { SecretProtector } from './signing/protect-secret';
import packageJson from '../package.json' with { type: 'json' };

export interface AppServicesOptions {
  host: 'electron' | 'local';
  archiveDir: string;
  /** Tesseract language string for OCR; defaults to ARKIVA_OCR_LANGUAGES or English. */
  ocrLanguages?: string;
  /** Variables added to the scanner backends' inherited environment (e.g. SANE_CONFIG_DIR). */
  scannerEnv?: Record<string, string>;
  /** Keeps the workstation's audit-signing key at rest; the Electron shell passes one backed by safeStorage. */
  workstationProtector?: SecretProtector;
  /** A folder network scanners write into, imported as files settle; defaults to ARKIVA_HOT_FOLDER. */
  hotFolder?: string;
}

export interface AppServices {
  readonly dispatch: Dispatch;
  readonly bus: EventBus;
  readonly recognition: PageRecognition;
  close(): Promise<void>;
}

/**
 * The composition root both hosts start: one archive, one OCR engine, one set of drivers, one
 * dispatcher. The OCR engine starts on first use, so the window opens without waiting for models.
 */
export async function startAppServices(options: AppServicesOptions): Promise<AppServices> {
  const bus = new EventBus();
  const archive = await ArchiveStore.open(options.archiveDir);
  // Crash recovery (issue 5): temporary files of interrupted writes go, interrupted document
  // changes are rolled forward; interrupted imports are finished below, then pending OCR.
  await archive.removeInterruptedWrites();
  const documents = await DocumentStore.open(archive, { onChange: (document) => bus.emit('document.changed', { document }) });
  // Batches, signing keys, trust store and audit trail (issue 7). Who acts is whoever is signed
  // in at the workstation (services/session/), or the workstation itself when nobody is.
  // The session needs the keystore and audit trail the batch services open, so it comes second.
  const signedIn: { session?: WorkstationSession } = {};
  const operator = () => signedIn.session?.actor() ?? WORKSTATION_ACTOR;
  const batches = await startBatchServices({
    archiveDir: options.archiveDir,
    archive,
    bus,
    documents,
    actor: operator,
    ...(options.workstationProtector ? { workstationProtector: options.workstationProtector } : {}),
  });
  const session = new WorkstationSession({ keystore: batches.keystore, protectorFor: batches.protectorFor, audit: batches.audit, trust: batches.trust, onChange: (changed) => bus.emit('session.changed', changed) });
  signedIn.session = session;
  // OCR settings (languages per script, workers, review threshold): services/ocr/ocr-settings.ts.
  const ocrSettings = await OcrSettingsStore.open(
    path.join(options.archiveDir, 'settings', 'ocr.json'),
    defaultOcrSettings(ocrSettingsFromEnv(), options.ocrLanguages),
    () => availableLanguages(),
  );
  let engine: Promise<OcrEngine> | undefined;
  const startEngine = () => (engine ??= createOcrEngine(ocrSettings.current));
  // Two pages beyond the threads: one being cleaned up while each thread recognises.
  const inFlightFor = (workers: number) => workers + 2;
  const recognition = new PageRecognition(archive, bus, startEngine, { maxInFlight: inFlightFor(ocrSettings.current.workers) });
  // New settings take effect for the next page: it starts a new engine, while the old one
  // finishes every page it was already given and then ends its threads.
  const retiring = new Set<Promise<void>>();
  const settingsWithRestart = {
    get current() {
      return ocrSettings.current;
    },
    async update(change: Parameters<OcrSettingsStore['update']>[0]) {
      const settings = await ocrSettings.update(change);
      const old = engine;
      engine = undefined;
      recognition.setMaxInFlight(inFlightFor(settings.workers));
      if (old) {
        const retired = old.then((previous) => previous.retire()).catch((error: unknown) => console.error('The previous OCR engine did not close cleanly', error));
        retiring.add(retired);
        void retired.finally(() => retiring.delete(retired));
      }
      return settings;
    },
  };
  const intake = new PageIntake(archive, bus, recognition, operator);
  const scanner = createDefaultScanner(options.scannerEnv ? { env: options.scannerEnv } : {});
  const capture = new CaptureJobs({ driver: scanner, sink: intake, bus, operator });
  const handlers = createHandlers({
    host: options.host,
    version: packageJson.version,
    archive,
    intake,
    bus,
    scanner,
    capture,
    importFile: (fileName, data) => importFile(fileName, data, { sink: intake, originals: archive }),
    ocrLanguages: () => availableLanguages(),
    recognition,
    ocrSettings: settingsWithRestart,
    documents,
    batches,
    session,
  });
  await intake.resumeInterrupted();
  await recognition.resumePending();
  const hotFolderPath = options.hotFolder ?? process.env.ARKIVA_HOT_FOLDER;
  const hotFolder =
    hotFolderPath === undefined || hotFolderPath === ''
      ? undefined
      : new HotFolder({
          folder: hotFolderPath,
          // A scanner dropped these, not the person signed in at the workstation.
          importFile: (fileName, data) => importFile(fileName, data, { sink: intake, originals: archive, operator: WORKSTATION_ACTOR }),
          onReport: (report) => {
            bus.emit('import.hotFolder', report);
            console.error(`Hot folder: ${report.file}: ${report.status === 'imported' ? `${report.pages} page(s) imported` : report.message}`);
          },
        });
  await hotFolder?.start();

  return {
    dispatch: createDispatcher(handlers),
    bus,
    recognition,
    async close() {
      await hotFolder?.stop();
      await capture.close();
      await recognition.idle();
      await Promise.all(retiring);
      if (engine) await (await engine).close();
    },
  };
}
