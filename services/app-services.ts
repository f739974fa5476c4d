import { ArchiveStore } from './archive/archive-store';
import { createDispatcher, type Dispatch } from './api/dispatcher';
import { EventBus } from './api/event-bus';
import { createHandlers } from './api/handlers';
import { PageIntake } from './pages/page-intake';
import { PageRecognition } from './pages/page-recognition';
import { createOcrEngine, type OcrEngine } from './ocr/ocr-engine';
import { availableLanguages } from './ocr/tessdata';
import { SaneDriver } from '../scanner-drivers/sane/sane-driver';
import { inspectImage } from '../scanner-drivers/file-import/inspect-image';
import packageJson from '../package.json' with { type: 'json' };

export interface AppServicesOptions {
  host: 'electron' | 'local';
  archiveDir: string;
  /** Tesseract language string for OCR; defaults to ARKIVA_OCR_LANGUAGES or English. */
  ocrLanguages?: string;
  /** Variables added to the scanner backends' inherited environment (e.g. SANE_CONFIG_DIR). */
  scannerEnv?: Record<string, string>;
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
  const languages = options.ocrLanguages ?? process.env.ARKIVA_OCR_LANGUAGES ?? 'eng';
  let engine: Promise<OcrEngine> | undefined;
  const startEngine = () => (engine ??= createOcrEngine({ languages }));
  const recognition = new PageRecognition(archive, bus, startEngine);
  const intake = new PageIntake(archive, bus, recognition);
  const handlers = createHandlers({
    host: options.host,
    version: packageJson.version,
    archive,
    intake,
    bus,
    scanner: new SaneDriver(options.scannerEnv ? { env: options.scannerEnv } : {}),
    inspectImage,
    ocrLanguages: () => availableLanguages(),
  });
  await recognition.resumePending();

  return {
    dispatch: createDispatcher(handlers),
    bus,
    recognition,
    async close() {
      await recognition.idle();
      if (engine) await (await engine).close();
    },
  };
}
