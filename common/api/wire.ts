import { z } from 'zod';
import { apiErrorSchema } from './errors';

/**
 * Envelopes of the local host's WebSocket protocol. (Electron IPC needs none: ipcRenderer.invoke
 * already pairs requests with responses.)
 */
export const wireRequestSchema = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  method: z.string(),
  input: z.unknown(),
});
export type WireRequest = z.infer<typeof wireRequestSchema>;

export const wireResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: apiErrorSchema }),
]);
export type WireResult = z.infer<typeof wireResultSchema>;

export const wireServerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('response'), id: z.number().int().nonnegative().nullable(), result: wireResultSchema }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type WireServerMessage = z.infer<typeof wireServerMessageSchema>;

/** The WebSocket subprotocol prefix that carries the per-launch token (browsers cannot set headers on a WebSocket). */
export const TOKEN_PROTOCOL_PREFIX = 'arkiva-token.';
/** Close code after an `unauthorized` error, so a page can tell a refused token from a dropped line. */
export const CLOSE_UNAUTHORIZED = 4401;
/** Upper bound on one request, in bytes of JSON; larger ones are refused with `payload-too-large`. */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
