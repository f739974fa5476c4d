// The checks every IPC call passes before it reaches the services. Kept free of electron imports so
// it runs (and is specified) in plain Node; main.ts hands it Electron's events, which fit `IpcCall`.
import { pathToFileURL } from 'node:url';
import { ApiError } from '../../common/api/errors';
import { MAX_REQUEST_BYTES, type WireResult } from '../../common/api/wire';
import { failure, type Dispatch } from '../../services/api/dispatcher';

/** What the guard reads of Electron's IpcMainInvokeEvent. */
export interface IpcCall {
  readonly senderFrame: { readonly url: string } | null;
}

/**
 * The `file:` URL prefix of the renderer folder, ending in `/`, so that a sibling folder whose name
 * merely starts the same (`dist/renderer-x`) does not pass for ours.
 */
export function rendererUrlPrefix(rendererDir: string): string {
  const href = pathToFileURL(rendererDir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * The IPC handler of one contract method: only our own page may call (even if something navigates a
 * frame elsewhere), requests are bounded as on the local host, and whatever goes wrong comes back as
 * a typed error, never as a plain rejection.
 */
export function guardedIpcHandler(
  method: string,
  allowedPrefix: string,
  dispatch: Dispatch,
): (event: IpcCall, input: unknown) => Promise<WireResult> {
  return async (event, input) => {
    try {
      const url = event.senderFrame?.url;
      if (url === undefined || !url.startsWith(allowedPrefix)) {
        return failure(new ApiError('unauthorized', 'Calls are accepted only from the Arkiva window.'));
      }
      let text: string;
      try {
        text = JSON.stringify(input ?? null);
      } catch {
        return failure(new ApiError('bad-request', `The input of ${method} is not JSON data (a BigInt, a function or a cycle).`));
      }
      const size = Buffer.byteLength(text);
      if (size > MAX_REQUEST_BYTES) {
        return failure(new ApiError('payload-too-large', `Request of ${size} bytes exceeds the limit of ${MAX_REQUEST_BYTES}.`));
      }
      return await dispatch(method, input);
    } catch (error) {
      return failure(new ApiError('internal', error instanceof Error ? error.message : String(error)));
    }
  };
}
