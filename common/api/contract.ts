import { z } from 'zod';
import { apiErrorCodeSchema } from './errors';

/**
 * The one API between the renderer and the services. Both hosts (Electron IPC and the local
 * HTTP/WebSocket host) carry exactly these methods and events, and both validate every payload
 * against these schemas at the boundary. Add an operation here first; the type checker then
 * asks for its handler in the services and the preload exposes it automatically.
 */

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase SHA-256 hex digest');

export const bboxSchema = z.object({
  x0: z.number(),
  y0: z.number(),
  x1: z.number(),
  y1: z.number(),
});
export type BBox = z.infer<typeof bboxSchema>;

export const ocrWordSchema = z.object({
  text: z.string(),
  /** 0..100, as Tesseract reports it. */
  confidence: z.number(),
  /** In pixels of the original image. */
  bbox: bboxSchema,
});
export type OcrWord = z.infer<typeof ocrWordSchema>;

export const ocrResultSchema = z.object({
  text: z.string(),
  confidence: z.number(),
  /** Tesseract language string used, e.g. "eng" or "sqi+eng". */
  languages: z.string(),
  words: z.array(ocrWordSchema),
});
export type OcrResult = z.infer<typeof ocrResultSchema>;

export const pageSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('import'), fileName: z.string() }),
  z.object({
    kind: z.literal('scan'),
    deviceId: z.string(),
    settings: z.object({ source: z.string(), resolution: z.number(), mode: z.string() }),
  }),
]);
export type PageSource = z.infer<typeof pageSourceSchema>;

export const pageStatusSchema = z.enum(['pending-ocr', 'recognized', 'failed']);
export type PageStatus = z.infer<typeof pageStatusSchema>;

/** A page as the services hold it. `id` is the SHA-256 of the original image, so re-ingesting is idempotent. */
export const pageRecordSchema = z.object({
  id: sha256HexSchema,
  source: pageSourceSchema,
  /** ISO 8601, when the original entered the archive. */
  capturedAt: z.string(),
  originalMimeType: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  status: pageStatusSchema,
  ocr: ocrResultSchema.optional(),
  /** Why OCR failed, for a page marked failed. */
  failure: z.string().optional(),
});
export type PageRecord = z.infer<typeof pageRecordSchema>;

export const scanSourceSchema = z.enum(['flatbed', 'adf', 'duplex']);
export const scanModeSchema = z.enum(['color', 'gray', 'lineart']);

export const deviceSchema = z.object({
  id: z.string(),
  backend: z.enum(['sane', 'escl', 'twain', 'wia']),
  name: z.string(),
});
export type Device = z.infer<typeof deviceSchema>;

/** Bytes travel as base64 so that both hosts carry them as plain JSON. */
const base64Schema = z.base64();

export const MAX_IMPORT_FILES = 50;

const empty = z.object({}).strict();

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

export const methods = {
  'app.getInfo': method(
    empty,
    z.object({
      version: z.string(),
      host: z.enum(['electron', 'local']),
      ocrLanguages: z.array(z.string()),
    }),
  ),
  'capture.listDevices': method(empty, z.object({ devices: z.array(deviceSchema) })),
  /** Starts a scan; pages arrive as `page.stored` events and the job ends with `capture.finished`. */
  'capture.scan': method(
    z
      .object({
        deviceId: z.string().min(1).max(256),
        source: scanSourceSchema.default('flatbed'),
        resolution: z.number().int().min(50).max(1200).default(300),
        mode: scanModeSchema.default('gray'),
      })
      .strict(),
    z.object({ jobId: z.string() }),
  ),
  /**
   * Imports image files; each is stored, then OCR'd in the background (`page.recognized`).
   * A bad file never costs the good ones: it is reported in `rejected` and the rest are imported.
   */
  'import.files': method(
    z
      .object({
        files: z
          .array(z.object({ name: z.string().min(1).max(255), dataBase64: base64Schema }).strict())
          .min(1)
          .max(MAX_IMPORT_FILES),
      })
      .strict(),
    z.object({
      pages: z.array(pageRecordSchema),
      rejected: z.array(z.object({ name: z.string(), code: apiErrorCodeSchema, message: z.string() })),
    }),
  ),
  /** Every page in the archive: the renderer's catalog and index are rebuilt from this. */
  'pages.list': method(empty, z.object({ pages: z.array(pageRecordSchema) })),
  'pages.getImage': method(
    z.object({ pageId: sha256HexSchema }).strict(),
    z.object({ mimeType: z.string(), dataBase64: base64Schema }),
  ),
} as const;

export const events = {
  'page.stored': z.object({ page: pageRecordSchema }),
  'page.recognized': z.object({ page: pageRecordSchema }),
  'page.failed': z.object({ page: pageRecordSchema }),
  'capture.finished': z.object({
    jobId: z.string(),
    pagesStored: z.number().int().nonnegative(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type EventName = keyof typeof events;
/** What a caller may pass (defaults still optional). */
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
/** What a handler receives after validation (defaults applied). */
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/**
 * The API as the renderer sees it, whichever host carries it: one function per operation and
 * one subscription per event.
 */
export type ArkivaApi = {
  readonly [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * The connection to the services dropped and is back: events sent meanwhile were lost, so
   * whatever mirrors the archive should list it again. (Never fires under Electron, whose IPC
   * cannot drop.)
   */
  onReconnect(listener: () => void): () => void;
};
