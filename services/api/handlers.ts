import { randomUUID } from 'node:crypto';
import { ApiError } from '../../common/api/errors';
import type { ScannerDriver } from '../../scanner-drivers/scanner-driver';
import { ScannerError } from '../../scanner-drivers/scanner-errors';
import { ImportError } from '../../scanner-drivers/file-import/import-errors';
import type { ArchiveStore } from '../archive/archive-store';
import type { PageIntake, InspectedImage } from '../pages/page-intake';
import { DISPLAY_IMAGE } from '../pages/page-intake';
import type { EventBus } from './event-bus';
import type { Handlers } from './dispatcher';

export interface HandlerDeps {
  host: 'electron' | 'local';
  version: string;
  archive: ArchiveStore;
  intake: PageIntake;
  bus: EventBus;
  scanner: ScannerDriver;
  inspectImage: (data: Buffer, fileName: string) => Promise<InspectedImage & { pages: number }>;
  ocrLanguages: () => string[];
}

/** The services' side of the contract: every method the renderer can call. */
export function createHandlers(deps: HandlerDeps): Handlers {
  const { archive, intake, bus, scanner } = deps;

  async function importOne(name: string, data: Buffer) {
    const image = await deps.inspectImage(data, name);
    if (image.pages > 1) {
      throw new ApiError(
        'unsupported-file',
        `${name} has ${image.pages} pages; multi-page files are not imported yet. Split it into single pages first.`,
      );
    }
    return intake.ingest(data, image, { kind: 'import', fileName: name });
  }

  return {
    'app.getInfo': async () => ({ version: deps.version, host: deps.host, ocrLanguages: deps.ocrLanguages() }),

    'capture.listDevices': async () => {
      try {
        return { devices: await scanner.listDevices() };
      } catch (error) {
        throw asApiError(error);
      }
    },

    'capture.scan': async (request) => {
      const jobId = randomUUID();
      const settings = { source: request.source, resolution: request.resolution, mode: request.mode };
      // The scan runs on after the call returns; its pages and its end arrive as events.
      void (async () => {
        let pagesStored = 0;
        try {
          for await (const page of scanner.scan({ deviceId: request.deviceId, ...settings })) {
            await intake.ingest(page.data, { mimeType: page.mimeType }, { kind: 'scan', deviceId: request.deviceId, settings });
            pagesStored += 1;
          }
          bus.emit('capture.finished', { jobId, pagesStored });
        } catch (error) {
          const apiError = asApiError(error);
          bus.emit('capture.finished', {
            jobId,
            pagesStored,
            error: { code: error instanceof ScannerError ? error.code : apiError.code, message: apiError.message },
          });
        }
      })();
      return { jobId };
    },

    'import.files': async ({ files }) => {
      const pages = [];
      const rejected = [];
      for (const file of files) {
        try {
          pages.push(await importOne(file.name, Buffer.from(file.dataBase64, 'base64')));
        } catch (error) {
          const apiError = asApiError(error);
          rejected.push({ name: file.name, code: apiError.code, message: apiError.message });
        }
      }
      return { pages, rejected };
    },

    'pages.list': async () => ({ pages: await archive.listPages() }),

    'pages.getImage': async ({ pageId }) => {
      const image = await archive.readDerived(pageId, DISPLAY_IMAGE);
      if (!image) throw new ApiError('not-found', `No page ${pageId} in the archive.`);
      return { mimeType: 'image/png', dataBase64: image.toString('base64') };
    },
  };
}

/** Maps the errors of the layers below onto the contract's codes, keeping their messages for the clerk. */
function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ImportError) return new ApiError('unsupported-file', error.message, { reason: error.code });
  if (error instanceof ScannerError) {
    const code = error.code === 'unavailable' ? 'unavailable' : error.code === 'unknown-device' ? 'not-found' : 'device-error';
    return new ApiError(code, error.message, { reason: error.code });
  }
  return new ApiError('internal', error instanceof Error ? error.message : String(error));
}
