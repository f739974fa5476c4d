/**
 * Test support: an eSCL scanner on 127.0.0.1 that answers with the responses captured from real
 * HP devices (../shared/fixtures/escl), and a paper path the test controls: how many sheets are
 * loaded, where the feeder jams, how slowly pages come.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { parseScanSettings } from './escl-xml';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/escl/hp-node-hp-scan-to');

export function esclFixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export interface EsclTestScannerOptions {
  /** Which captured device to be: the ADF-duplex ScanJet Pro 4500 or the Smart Tank Plus 570. */
  readonly model?: 'duplex' | 'simplex';
  readonly sheets?: number;
  /** The feeder jams instead of delivering this (0-based) sheet. */
  readonly jamAt?: number;
  /** NextDocument answers 503 this many times per page before the page (the device is still scanning). */
  readonly busyPolls?: number;
  /** Holds each page this long before answering. */
  readonly pageDelayMs?: number;
  /** Serve HTTPS with this key and certificate (PEM). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** The scanner is in this state (e.g. `ScannerAdfHatchOpen`) from the start. */
  readonly adfState?: string;
  readonly state?: 'Idle' | 'Processing' | 'Down';
}

export interface EsclTestScanner {
  readonly baseUrl: string;
  /** Every request, as "METHOD /path". */
  readonly requests: string[];
  /** The ScanSettings bodies posted, parsed. */
  readonly jobsPosted: ReturnType<typeof parseScanSettings>[];
  /** Sheets still in the feeder. */
  sheets: number;
  /** The clerk opens the hatch and takes the jammed sheet out. */
  clearJam(): void;
  close(): Promise<void>;
}

async function page(n: number, resolution: number): Promise<Buffer> {
  // A small "sheet" whose content differs per page; size follows the resolution like a real scan of a 1 × 1.4 inch label.
  const width = Math.max(8, Math.round(resolution));
  const height = Math.max(8, Math.round(resolution * 1.4));
  const svg = `<svg width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/><text x="4" y="${height / 2}" font-size="${width / 4}">${n}</text></svg>`;
  return sharp(Buffer.from(svg)).removeAlpha().jpeg({ quality: 85 }).toBuffer();
}

function statusXml(state: string, adfState: string): string {
  // The captured status closest to the scanner's state (a job scanning, or idle), with its states set.
  return esclFixture(state === 'Processing' ? 'eSCL_ScannerStatus_processing.xml' : 'eSCL_ScannerStatus_loaded.xml')
    .replace(/<pwg:State>[^<]*<\/pwg:State>/, `<pwg:State>${state}</pwg:State>`)
    .replace(/<scan:AdfState>[^<]*<\/scan:AdfState>/, `<scan:AdfState>${adfState}</scan:AdfState>`);
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startEsclTestScanner(options: EsclTestScannerOptions = {}): Promise<EsclTestScanner> {
  const capabilities = esclFixture(options.model === 'simplex' ? 'eSCL_ScannerCapabilities_Simplex.xml' : 'eSCL_ScannerCapabilities_Duplex.xml');
  const requests: string[] = [];
  const jobsPosted: ReturnType<typeof parseScanSettings>[] = [];
  let adfOverride = options.adfState;
  let jamCleared = false;
  let delivered = 0;
  let nextJob = 1;
  const jobs = new Map<number, { resolution: number; feeder: boolean; pages: number; polls: number; ended: boolean }>();
  let processing = false;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url ?? '/';
    requests.push(`${request.method} ${url}`);
    const reply = (status: number, text = '', headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'text/xml', ...headers });
      response.end(text);
    };
    if (request.method === 'GET' && url === '/eSCL/ScannerCapabilities') return reply(200, capabilities);
    if (request.method === 'GET' && url === '/eSCL/ScannerStatus') {
      const adf = adfOverride ?? (scanner.sheets > 0 ? 'ScannerAdfLoaded' : 'ScannerAdfEmpty');
      return reply(200, statusXml(options.state ?? (processing ? 'Processing' : 'Idle'), adf));
    }
    if (request.method === 'POST' && url === '/eSCL/ScanJobs') {
      const settings = parseScanSettings(await body(request));
      jobsPosted.push(settings);
      const id = nextJob++;
      jobs.set(id, { resolution: settings.resolution ?? 300, feeder: settings.inputSource === 'Feeder', pages: 0, polls: 0, ended: false });
      processing = true;
      // HP answers with an absolute URL; clients must accept a relative one too.
      return reply(201, '', { Location: `${scanner.baseUrl}/ScanJobs/${id}` });
    }
    const jobMatch = /^\/eSCL\/ScanJobs\/(\d+)(\/NextDocument)?$/.exec(url);
    const job = jobMatch ? jobs.get(Number(jobMatch[1])) : undefined;
    if (jobMatch && request.method === 'DELETE') {
      if (job) job.ended = true;
      processing = false;
      return reply(job ? 200 : 404);
    }
    if (jobMatch?.[2] && request.method === 'GET') {
      if (!job || job.ended) return reply(404);
      const feederDone = job.feeder ? scanner.sheets === 0 : job.pages === 1;
      if (adfOverride === 'ScannerAdfJam' || feederDone) {
        job.ended = true;
        processing = false;
        return reply(404);
      }
      if (job.feeder && options.jamAt !== undefined && delivered === options.jamAt && !jamCleared) {
        adfOverride = 'ScannerAdfJam';
        job.ended = true;
        processing = false;
        return reply(404);
      }
      if (job.polls < (options.busyPolls ?? 0)) {
        job.polls += 1;
        return reply(503);
      }
      job.polls = 0;
      if (options.pageDelayMs) await new Promise((resolve) => setTimeout(resolve, options.pageDelayMs));
      if (response.destroyed || request.destroyed) return undefined;
      const image = await page(delivered + 1, job.resolution);
      job.pages += 1;
      delivered += 1;
      if (job.feeder) scanner.sheets -= 1;
      response.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': image.length });
      response.end(image);
      return undefined;
    }
    return reply(404);
  };

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500);
      response.end(String(error));
    });
  };
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const scanner: EsclTestScanner = {
    baseUrl: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/eSCL`,
    requests,
    jobsPosted,
    sheets: options.sheets ?? 0,
    clearJam() {
      // The clerk frees the jammed sheet and puts it back on top of the others.
      adfOverride = undefined;
      jamCleared = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return scanner;
}
