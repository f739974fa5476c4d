import { ApiError } from '../../common/api/errors';
import { availableParallelism } from 'node:os';
import type { PageRecord } from '../../common/api/contract';
import type { DeviceCapabilities, Discovery } from '../../scanner-drivers/scanner-driver';
import { ScannerError } from '../../scanner-drivers/scanner-errors';
import { ImportError } from '../../scanner-drivers/file-import/import-errors';
import type { ArchiveStore } from '../archive/archive-store';
import { CaptureJobError } from '../capture/capture-jobs';
import type { CaptureJobs } from '../capture/capture-jobs';
import type { FileImportOutcome } from '../capture/file-import';
import type { PageIntake } from '../pages/page-intake';
import type { PageRecognition } from '../pages/page-recognition';
import type { OcrSettingsStore } from '../ocr/ocr-settings-store';
import { DISPLAY_IMAGE } from '../pages/page-intake';
import { createDocumentHandlers } from '../documents/document-handlers';
import { createBatchHandlers } from '../batches/batch-handlers';
import { listAuditEntries } from '../audit/list-audit-log';
import type { BatchServices } from '../batches/batch-services';
import { createSessionHandlers } from '../session/session-handlers';
import type { WorkstationSession } from '../session/workstation-session';
import type { DocumentStore } from '../documents/document-store';
import type { EventBus } from './event-bus';
import type { Handlers } from './dispatcher';

export interface HandlerDeps {
  host: 'electron' | 'local';
  version: string;
  archive: ArchiveStore;
  intake: PageIntake;
  bus: EventBus;
  /** Every scanner backend of this machine (scanner-drivers/combined-driver). */
  scanner: { discover(): Promise<Discovery>; getCapabilities(deviceId: string): Promise<DeviceCapabilities> };
  capture: CaptureJobs;
  /** Imports one file into the archive (services/capture/file-import). */
  importFile: (fileName: string, data: Buffer) => Promise<FileImportOutcome>;
  ocrLanguages: () => string[];
  /** OCR of stored pages (services/pages/page-recognition): a clerk's re-OCR goes ahead of the batch. */
  recognition: Pick<PageRecognition, 'recognizeAgain'>;
  /** The OCR settings in force; an update takes effect for the next page (app-services restarts the engine). */
  ocrSettings: Pick<OcrSettingsStore, 'current' | 'update'>;
  /** Documents: pages grouped, with history (issue 5). */
  documents: DocumentStore;
  /** Batches, signing keys, trust store and audit trail (issue 7). */
  batches: BatchServices;
  /** Who is signed in at this workstation (issue 7): the actor of batch changes and audit entries. */
  session: WorkstationSession;
}

/** The services' side of the contract: every method the renderer can call. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { archive, scanner, capture } = deps;

  return {
    'app.getInfo': async () => ({ version: deps.version, host: deps.host, ocrLanguages: deps.ocrLanguages() }),

    'capture.listDevices': async () => {
      try {
        return await scanner.discover();
      } catch (error) {
        throw asApiError(error);
      }
    },

    'capture.getCapabilities': async ({ deviceId }) => {
      try {
        return await scanner.getCapabilities(deviceId);
      } catch (error) {
        throw asApiError(error);
      }
    },

    // The scan runs on after the call returns; its pages arrive as `page.stored` and
    // `capture.progress` events and each run ends with `capture.finished`.
    'capture.scan': async (request) => ({ jobId: capture.start(request) }),

    'capture.cancel': async ({ jobId }) => {
      try {
        return { state: await capture.cancel(jobId) };
      } catch (error) {
        throw asApiError(error);
      }
    },

    'capture.resume': async ({ jobId }) => {
      try {
        capture.resume(jobId);
        return { jobId };
      } catch (error) {
        throw asApiError(error);
      }
    },

    'import.files': async ({ files }) => {
      const pages: PageRecord[] = [];
      const rejected = [];
      for (const file of files) {
        try {
          const outcome = await deps.importFile(file.name, Buffer.from(file.dataBase64, 'base64'));
          pages.push(...outcome.pages);
          if (outcome.error) throw outcome.error;
        } catch (error) {
          const apiError = asApiError(error);
          rejected.push({ name: file.name, code: apiError.code, message: apiError.message });
        }
      }
      return { pages, rejected };
    },

    'pages.list': async () => ({ pages: await archive.listPages() }),

    'pages.recognizeAgain': async ({ pageId, languages }) => {
      if (languages !== undefined) {
        const installed = deps.ocrLanguages();
        const missing = languages.split('+').filter((code) => !installed.includes(code));
        if (missing.length > 0) {
          throw new ApiError('unavailable', `No OCR model for ${missing.join(', ')} on this workstation; installed: ${installed.join(', ')}.`);
        }
      }
      return { page: await deps.recognition.recognizeAgain(pageId, languages === undefined ? {} : { languages }) };
    },

    'ocr.getSettings': async () => ({ settings: deps.ocrSettings.current, installedLanguages: deps.ocrLanguages(), cores: availableParallelism() }),
    'ocr.updateSettings': async (change) => ({ settings: await deps.ocrSettings.update(change) }),

    'pages.getImage': async ({ pageId }) => {
      const image = await archive.readDerived(pageId, DISPLAY_IMAGE);
      if (!image) throw new ApiError('not-found', `No page ${pageId} in the archive.`);
      return { mimeType: 'image/png', dataBase64: image.toString('base64') };
    },

    ...createDocumentHandlers(archive, deps.documents, async (document, exported) => {
      await deps.batches.audit.record({ kind: 'export', actor: deps.session.actor(), subject: document.id, details: { revision: document.revision, ...exported } });
    }),
    ...createSessionHandlers(deps.session),
    ...createBatchHandlers(deps.batches, deps.session),

    // Entries still being written are waited for, so a page never stops short of what was recorded.
    'audit.list': async ({ after, limit }) => {
      await deps.batches.audit.flushed();
      return listAuditEntries(deps.batches.auditFile, { ...(after === undefined ? {} : { after }), limit });
    },
  };
}

/** Maps the errors of the layers below onto the contract's codes, keeping their messages for the clerk. */
function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof CaptureJobError) {
    return new ApiError(error.code === 'not-found' ? 'not-found' : 'conflict', error.message, { reason: error.code });
  }
  if (error instanceof ImportError) return new ApiError('unsupported-file', error.message, { reason: error.code });
  if (error instanceof ScannerError) {
    const code = error.code === 'unavailable' ? 'unavailable' : error.code === 'unknown-device' ? 'not-found' : 'device-error';
    return new ApiError(code, error.message, { reason: error.code });
  }
  return new ApiError('internal', error instanceof Error ? error.message : String(error));
}
