import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { scanModeSchema, scanSourceSchema } from '../../common/api/contract';
import type { ScannerDriver, ScanRequest } from '../../scanner-drivers/scanner-driver';
import { ScannerError } from '../../scanner-drivers/scanner-errors';
import { createDefaultScanner } from '../capture/default-scanner';
import { EXIT, UsageError, type CliIo, type Command } from './command';
import { parseCommandArgs } from './cli-args';

export interface ScanCommandDeps {
  readonly scanner: () => Pick<ScannerDriver, 'scan'>;
  /** Aborted by Ctrl-C in the real command; tests pass their own. */
  readonly interrupt?: () => AbortSignal;
}

/** A signal to stop the scan, and how to let go of what raises it once the scan is over. */
interface Interrupt {
  readonly signal: AbortSignal;
  release(): void;
}

const PAGE_NAME = /^page-(\d{4,})\.png$/;

/** Numbering goes on after the pages already in DIR, so a scan resumed after a jam never overwrites one. */
async function nextPageNumber(directory: string): Promise<number> {
  const numbers = (await readdir(directory)).map((name) => PAGE_NAME.exec(name)?.[1]).filter((n) => n !== undefined).map(Number);
  return numbers.length === 0 ? 1 : Math.max(...numbers) + 1;
}

/**
 * Ctrl-C stops the scan (the device is released and the pages written stay). The listener is
 * removed when the scan is over, so a process that goes on (tests, a shell running several
 * commands) gets its default Ctrl-C back and no listeners pile up.
 */
function sigintInterrupt(): Interrupt {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, release: () => process.off('SIGINT', onSigint) };
}

export function createScanCommand(deps: ScanCommandDeps): Command {
  return {
    name: 'scan',
    summary: 'Scan pages into a folder as PNG files',

    help() {
      return [
        'Usage: arkiva scan --device ID [--source flatbed|adf|duplex] [--resolution N]',
        '                   [--mode color|gray|lineart] --out DIR',
        '',
        'Scans with the device (an id from `arkiva devices`) and writes each page to DIR as',
        'page-0001.png, page-0002.png, ... the moment it arrives, reporting progress on stderr.',
        'Numbering continues after the pages already in DIR, and no file is ever overwritten:',
        'after a paper jam, clear it, reload the sheets not yet scanned and run the same command.',
        '',
        'Options:',
        '  -d, --device ID        The scanner (required)',
        '  -s, --source SOURCE    flatbed (default), adf (document feeder) or duplex',
        '  -r, --resolution N     Dots per inch (default 300); must be one the device offers',
        '  -m, --mode MODE        color, gray (default) or lineart',
        '  -o, --out DIR          Where the pages go (created if missing; required)',
        '  -h, --help             Show this help',
        '',
        'Exit codes: 0 scanned; 1 the scanner reported a problem (jammed, feeder-empty,',
        'cover-open, busy, io-error, access-denied, device-gone, unknown-device, cancelled, ...):',
        'stderr says which, and the pages written before it stay; 2 wrong command line.',
        '',
      ].join('\n');
    },

    async run(args, io) {
      const { values, positionals } = parse(args);
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      const request = toRequest(values);
      const out = values.out;
      if (out === undefined) throw new UsageError('--out DIR is required');
      await mkdir(out, { recursive: true });
      const interrupt = deps.interrupt ? { signal: deps.interrupt(), release: () => undefined } : sigintInterrupt();
      try {
        return await scanInto(deps.scanner(), request, out, io, interrupt.signal);
      } finally {
        interrupt.release();
      }
    },
  };
}

async function scanInto(
  scanner: Pick<ScannerDriver, 'scan'>,
  request: ScanRequest,
  out: string,
  io: CliIo,
  signal: AbortSignal,
): Promise<typeof EXIT.ok | typeof EXIT.failed> {
  let number = await nextPageNumber(out);
  let written = 0;
  io.stderr(`arkiva scan: scanning from ${request.deviceId} (${request.source}, ${request.resolution} dpi, ${request.mode})\n`);
  try {
    for await (const page of scanner.scan(request, signal)) {
      const file = path.join(out, `page-${String(number).padStart(4, '0')}.png`);
      const png = page.mimeType === 'image/png' ? page.data : await sharp(page.data).png().toBuffer();
      // 'wx': fail rather than overwrite a page another run wrote meanwhile.
      await writeFile(file, png, { flag: 'wx' });
      number += 1;
      written += 1;
      io.stderr(`arkiva scan: page ${written} written: ${file} (${page.width} × ${page.height})\n`);
    }
  } catch (error) {
    const pages = `${written} page${written === 1 ? '' : 's'} written`;
    if (error instanceof ScannerError) {
      io.stderr(`arkiva scan: ${error.code}: ${error.message} (${pages})\n`);
      if (error.detail) io.stderr(`arkiva scan: the scanner said: ${error.detail.split('\n').slice(-3).join(' | ')}\n`);
    } else {
      io.stderr(`arkiva scan: ${error instanceof Error ? error.message : String(error)} (${pages})\n`);
    }
    return EXIT.failed;
  }
  io.stderr(`arkiva scan: done, ${written} page${written === 1 ? '' : 's'} written to ${out}\n`);
  return EXIT.ok;
}

function toRequest(values: ReturnType<typeof parse>['values']): ScanRequest {
  if (values.device === undefined || values.device === '') throw new UsageError('--device ID is required (see `arkiva devices`)');
  const source = scanSourceSchema.safeParse(values.source ?? 'flatbed');
  if (!source.success) throw new UsageError(`--source must be flatbed, adf or duplex, not "${values.source}"`);
  const mode = scanModeSchema.safeParse(values.mode ?? 'gray');
  if (!mode.success) throw new UsageError(`--mode must be color, gray or lineart, not "${values.mode}"`);
  const resolution = Number(values.resolution ?? '300');
  if (!/^\d+$/.test(values.resolution ?? '300') || resolution < 1 || resolution > 9600) {
    throw new UsageError(`--resolution must be a whole number of dpi, not "${values.resolution}"`);
  }
  return { deviceId: values.device, source: source.data, resolution, mode: mode.data };
}

function parse(args: string[]) {
  return parseCommandArgs(args, {
    device: { type: 'string', short: 'd' },
    source: { type: 'string', short: 's' },
    resolution: { type: 'string', short: 'r' },
    mode: { type: 'string', short: 'm' },
    out: { type: 'string', short: 'o' },
  });
}

export const scanCommand = createScanCommand({ scanner: () => createDefaultScanner() });
