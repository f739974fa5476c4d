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
import { pngClaiming } from '../test-support/png-claiming';
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
  /**
   * How POST ScanJobs' `Location` names the job: a whole URL (HP, the default), a path from the
   * server's root (`/eSCL/ScanJobs/1`), or relative to the eSCL root (`ScanJobs/1`).
   */
  readonly location?: 'url' | 'path' | 'relative';
  /** Instead of this (0-based) sheet, send a tiny image whose header claims an enormous page. */
  readonly hostilePage?: { readonly at: number; readonly format: 'jpeg' | 'png' };
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

/** A job as the scanner's status lists it. */
interface JobRecord {
  readonly id: number;
  readonly resolution: number;
  readonly feeder: boolean;
  pages: number;
  polls: number;
  /** No more pages will come (feeder empty, jam, deleted). */
  ended: boolean;
  /** Whether it ended without a problem. */
  completed: boolean;
  /** Size of the last page delivered, for ScanImageInfo. */
  lastPage: { width: number; height: number; colour: boolean } | undefined;
}

const JOB_INFO = /<scan:JobInfo>[\s\S]*?<\/scan:JobInfo>/;

function jobInfoXml(template: string, job: JobRecord): string {
  const state = !job.ended ? 'Processing' : job.completed ? 'Completed' : 'Aborted';
  const reason = !job.ended ? 'JobScanning' : job.completed ? 'JobCompletedSuccessfully' : 'JobCanceledByUser';
  return template
    .replace(/<pwg:JobUri>[^<]*</, `<pwg:JobUri>/eSCL/ScanJobs/${job.id}<`)
    .replace(/<pwg:JobUuid>[^<]*</, `<pwg:JobUuid>1876-${String(job.id).padStart(4, '0')}<`)
    .replace(/<pwg:ImagesCompleted>[^<]*</, `<pwg:ImagesCompleted>${job.pages}<`)
    .replace(/<pwg:ImagesToTransfer>[^<]*</, `<pwg:ImagesToTransfer>${job.ended ? 0 : 1}<`)
    .replace(/<pwg:JobState>[^<]*</, `<pwg:JobState>${state}<`)
    .replace(/<pwg:JobStateReasons>[\s\S]*?<\/pwg:JobStateReasons>/, `<pwg:JobStateReasons>\n                <pwg:JobStateReason>${reason}</pwg:JobStateReason>\n            </pwg:JobStateReasons>`);
}

/**
 * The scanner's status as HP devices write it, built from the captured documents: `processing`
 * while a job runs, `completed` just after one ended (HP still says Processing then), `loaded`
 * or `empty` when idle; the state, the feeder and the job list are this scanner's own.
 */
function statusXml(state: string, adfState: string, jobs: readonly JobRecord[], justEnded: boolean): string {
  const running = jobs.some((job) => !job.ended);
  const fixture = running
    ? 'eSCL_ScannerStatus_processing.xml'
    : justEnded
      ? 'eSCL_ScannerStatus_completed.xml'
      : adfState === 'ScannerAdfEmpty'
        ? 'eSCL_ScannerStatus_empty.xml'
        : 'eSCL_ScannerStatus_loaded.xml';
  const template = esclFixture(fixture);
  // The captured job entry closest to the document (the empty one has none: take the loaded one's).
  const jobTemplate = (JOB_INFO.exec(template) ?? JOB_INFO.exec(esclFixture('eSCL_ScannerStatus_loaded.xml')))?.[0] ?? '';
  // Newest first, as the devices list them.
  const jobList = jobs.length === 0 ? '' : `<scan:Jobs>\n        ${[...jobs].reverse().map((job) => jobInfoXml(jobTemplate, job)).join('\n        ')}\n    </scan:Jobs>`;
  const withoutJobs = template.replace(/\s*<scan:Jobs>[\s\S]*<\/scan:Jobs>/, '');
  return withoutJobs
    .replace(/<pwg:State>[^<]*<\/pwg:State>/, `<pwg:State>${state}</pwg:State>`)
    .replace(/<scan:AdfState>[^<]*<\/scan:AdfState>/, `<scan:AdfState>${adfState}</scan:AdfState>`)
    .replace(/(\s*)<\/scan:ScannerStatus>/, jobList === '' ? '$1</scan:ScannerStatus>' : `\n    ${jobList}$1</scan:ScannerStatus>`);
}

/** `GET <job>/ScanImageInfo`: the captured document with the job's last page in it. */
function scanImageInfoXml(job: JobRecord): string {
  const page = job.lastPage ?? { width: 0, height: 0, colour: false };
  return esclFixture('eSCL_ScanImageInfo.xml')
    .replace(/<pwg:JobUri>[^<]*</, `<pwg:JobUri>/eSCL/ScanJobs/${job.id}<`)
    .replace(/<pwg:JobUuid>[^<]*</, `<pwg:JobUuid>1876-${String(job.id).padStart(4, '0')}<`)
    .replace(/<scan:ActualWidth>[^<]*</, `<scan:ActualWidth>${page.width}<`)
    .replace(/<scan:ActualHeight>[^<]*</, `<scan:ActualHeight>${page.height}<`)
    .replace(/<scan:ActualBytesPerLine>[^<]*</, `<scan:ActualBytesPerLine>${page.width * (page.colour ? 3 : 1)}<`)
    .replace(/<scan:ColorDetected>[^<]*</, `<scan:ColorDetected>${page.colour}<`);
}

/**
 * A real 8 × 8 JPEG whose frame header (SOF0) is rewritten to claim `width` × `height`. A JPEG
 * header holds at most 65,535 × 65,535, and libjpeg refuses headers above 65,500 as corrupt, so
 * 65,500 × 65,500 (4.3 gigapixels) is the largest claim that reaches a size check.
 */
export const JPEG_MAX_SIDE = 65_500;

export async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } }).jpeg({ mozjpeg: false }).toBuffer();
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  if (sof < 0) throw new Error('no baseline frame header');
  // FFC0, length (2), precision (1), then height and width, 16 bits each.
  jpeg.writeUInt16BE(Math.min(height, JPEG_MAX_SIDE), sof + 5);
  jpeg.writeUInt16BE(Math.min(width, JPEG_MAX_SIDE), sof + 7);
  return jpeg;
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
  const jobs = new Map<number, JobRecord>();
  /** Set when a job ends; HP devices report the completed job (and Processing) until the next request after it. */
  let justEnded = false;
  const endJob = (job: JobRecord, completed: boolean) => {
    if (job.ended) return;
    job.ended = true;
    job.completed = completed;
    justEnded = true;
  };

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
      const running = [...jobs.values()].some((job) => !job.ended);
      const xml = statusXml(options.state ?? (running || justEnded ? 'Processing' : 'Idle'), adf, [...jobs.values()], justEnded);
      justEnded = false;
      return reply(200, xml);
    }
    if (request.method === 'POST' && url === '/eSCL/ScanJobs') {
      const settings = parseScanSettings(await body(request));
      jobsPosted.push(settings);
      const id = nextJob++;
      jobs.set(id, { id, resolution: settings.resolution ?? 300, feeder: settings.inputSource === 'Feeder', pages: 0, polls: 0, ended: false, completed: false, lastPage: undefined });
      // HP answers with an absolute URL; other devices with a path only, which clients must resolve.
      const location = { url: `${scanner.baseUrl}/ScanJobs/${id}`, path: `/eSCL/ScanJobs/${id}`, relative: `ScanJobs/${id}` }[options.location ?? 'url'];
      return reply(201, '', { Location: location });
    }
    const jobMatch = /^\/eSCL\/ScanJobs\/(\d+)(\/NextDocument|\/ScanImageInfo)?$/.exec(url);
    const job = jobMatch ? jobs.get(Number(jobMatch[1])) : undefined;
    if (jobMatch && !jobMatch[2] && request.method === 'DELETE') {
      if (job) endJob(job, job.pages > 0 && (!job.feeder || scanner.sheets === 0));
      return reply(job ? 200 : 404);
    }
    if (jobMatch?.[2] === '/ScanImageInfo' && request.method === 'GET') {
      return job?.lastPage ? reply(200, scanImageInfoXml(job)) : reply(404);
    }
    if (jobMatch?.[2] === '/NextDocument' && request.method === 'GET') {
      if (!job || job.ended) return reply(404);
      const feederDone = job.feeder ? scanner.sheets === 0 : job.pages === 1;
      if (adfOverride === 'ScannerAdfJam' || feederDone) {
        endJob(job, adfOverride !== 'ScannerAdfJam');
        return reply(404);
      }
      if (job.feeder && options.jamAt !== undefined && delivered === options.jamAt && !jamCleared) {
        adfOverride = 'ScannerAdfJam';
        endJob(job, false);
        return reply(404);
      }
      if (job.polls < (options.busyPolls ?? 0)) {
        job.polls += 1;
        return reply(503);
      }
      job.polls = 0;
      if (options.pageDelayMs) await new Promise((resolve) => setTimeout(resolve, options.pageDelayMs));
      if (response.destroyed || request.destroyed) return undefined;
      const hostile = options.hostilePage?.at === delivered ? options.hostilePage.format : undefined;
      const image =
        hostile === 'png' ? pngClaiming(100_000, 100_000) : hostile === 'jpeg' ? await jpegClaiming(JPEG_MAX_SIDE, JPEG_MAX_SIDE) : await page(delivered + 1, job.resolution);
      const size = hostile === undefined ? await sharp(image).metadata() : hostile === 'png' ? { width: 100_000, height: 100_000 } : { width: JPEG_MAX_SIDE, height: JPEG_MAX_SIDE };
      job.pages += 1;
      job.lastPage = { width: size.width, height: size.height, colour: true };
      delivered += 1;
      if (job.feeder) scanner.sheets -= 1;
      response.writeHead(200, { 'Content-Type': hostile === 'png' ? 'image/png' : 'image/jpeg', 'Content-Length': image.length });
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
