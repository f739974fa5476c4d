import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as connectTls } from 'node:tls';
import { ScannerError } from '../scanner-errors';

export interface EsclResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface EsclHttpOptions {
  /**
   * SHA-256 fingerprint of the scanner's TLS certificate (hex, colons allowed). Network scanners
   * sign their own certificates, which no authority vouches for; pinning the one the clerk's IT
   * confirmed on the device's panel is what makes HTTPS mean something. With a pin, only that
   * certificate is accepted; without one, only certificates the system trusts.
   */
  readonly pinnedSha256?: string | undefined;
  readonly timeoutMs?: number;
  /** A page larger than this is refused rather than held: 600 dpi A3 colour as PNG is below 200 MB. */
  readonly maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY = 256 * 1024 * 1024;

export function normaliseFingerprint(fingerprint: string): string {
  return fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

function networkError(url: URL, error: NodeJS.ErrnoException): ScannerError {
  const gone = ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'ECONNRESET', 'EAI_AGAIN'].includes(error.code ?? '');
  return new ScannerError(gone ? 'device-gone' : 'io-error', {
    message: gone ? 'The network scanner cannot be reached. Check that it is on and on the network, then scan again.' : undefined,
    detail: `${url.origin}: ${error.code ?? ''} ${error.message}`.trim(),
    cause: error,
  });
}

/**
 * Opens the TLS connection itself and hands it to HTTP only once the certificate matched the
 * pin, so that not a byte of the request reaches a device presenting another certificate.
 * (Node checks `checkServerIdentity` only for certificates a CA vouched for, so it cannot pin a
 * self-signed one.)
 */
function pinnedConnection(url: URL, pin: string) {
  return (_options: unknown, ready: (error: Error | null, socket: Duplex) => void): undefined => {
    const socket = connectTls({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 443),
      // Checked by fingerprint instead, below.
      rejectUnauthorized: false,
      ...(isIP(url.hostname) ? {} : { servername: url.hostname }),
    });
    socket.once('secureConnect', () => {
      const presented = normaliseFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
      if (presented === pin) {
        ready(null, socket);
        return;
      }
      socket.destroy();
      ready(
        new ScannerError('access-denied', {
          message: 'The network scanner presented a certificate other than the pinned one. Arkiva sent it nothing.',
          detail: `expected SHA-256 ${pin}, got ${presented}`,
        }),
        socket,
      );
    });
    socket.once('error', (error) => ready(error, socket));
    return undefined;
  };
}

/** One HTTP(S) exchange with an eSCL scanner, with certificate pinning, a size limit and cancellation. */
export function esclRequest(
  url: URL,
  method: 'GET' | 'POST' | 'DELETE',
  options: EsclHttpOptions & { readonly body?: string; readonly signal?: AbortSignal | undefined } = {},
): Promise<EsclResponse> {
  const pin = options.pinnedSha256 === undefined ? undefined : normaliseFingerprint(options.pinnedSha256);
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new ScannerError('cancelled'));
      return;
    }
    const secure = url.protocol === 'https:';
    const send = secure ? httpsRequest : httpRequest;
    const request = send(url, {
      method,
      // No connection reuse: a job is a handful of requests, and a pinned connection must not be shared.
      // (With an agent, Node would ignore createConnection.)
      ...(secure && pin !== undefined ? { createConnection: pinnedConnection(url, pin) } : { agent: false }),
      timeout: options.timeoutMs ?? 30_000,
      headers: options.body === undefined ? {} : { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(options.body) },
    });
    const fail = (error: unknown) => {
      request.destroy();
      reject(error);
    };
    const onAbort = () => fail(new ScannerError('cancelled'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => options.signal?.removeEventListener('abort', onAbort);
    request.on('timeout', () => fail(new ScannerError('io-error', { message: 'The network scanner stopped answering.', detail: `${method} ${url.href} timed out` })));
    request.on('error', (error: NodeJS.ErrnoException) => {
      done();
      if (error instanceof ScannerError) reject(error);
      else if (/certificate|self.signed|CERT_|SSL/i.test(`${error.code ?? ''} ${error.message}`)) {
        reject(
          new ScannerError('access-denied', {
            message: 'The network scanner\'s certificate is not trusted. Pin its SHA-256 fingerprint in the scanner settings to use it over HTTPS.',
            detail: `${url.origin}: ${error.code ?? ''} ${error.message}`,
            cause: error,
          }),
        );
      } else reject(networkError(url, error));
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const tooLarge = () =>
        new ScannerError('no-memory', { message: 'The network scanner sent a page larger than Arkiva accepts.', detail: `more than ${maxBody} bytes` });
      // A declared length over the limit is refused before a byte of the body is held.
      if (Number(response.headers['content-length'] ?? 0) > maxBody) {
        done();
        fail(tooLarge());
        return;
      }
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBody) {
          fail(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        done();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      });
      response.on('error', (error: NodeJS.ErrnoException) => {
        done();
        reject(networkError(url, error));
      });
    });
    request.end(options.body);
  });
}
