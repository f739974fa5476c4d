import type { ScannerErrorCode } from '../scanner-errors';

/**
 * SANE's status codes as scanimage reports them. scanimage prints `sane_strstatus()` text on
 * stderr and, when sane_start/sane_read fail, exits with the status number itself; we run it
 * under LC_ALL=C so the text is SANE's English original and not a translation.
 */
interface SaneStatus {
  readonly name: string;
  readonly value: number;
  readonly text: string;
  readonly code: ScannerErrorCode;
}

export const saneStatuses: readonly SaneStatus[] = [
  { name: 'SANE_STATUS_UNSUPPORTED', value: 1, text: 'Operation not supported', code: 'unsupported' },
  { name: 'SANE_STATUS_CANCELLED', value: 2, text: 'Operation was canceled', code: 'cancelled' },
  { name: 'SANE_STATUS_DEVICE_BUSY', value: 3, text: 'Device busy', code: 'busy' },
  { name: 'SANE_STATUS_INVAL', value: 4, text: 'Invalid argument', code: 'invalid' },
  { name: 'SANE_STATUS_JAMMED', value: 6, text: 'Document feeder jammed', code: 'jammed' },
  { name: 'SANE_STATUS_NO_DOCS', value: 7, text: 'Document feeder out of documents', code: 'feeder-empty' },
  { name: 'SANE_STATUS_COVER_OPEN', value: 8, text: 'Scanner cover is open', code: 'cover-open' },
  { name: 'SANE_STATUS_IO_ERROR', value: 9, text: 'Error during device I/O', code: 'io-error' },
  { name: 'SANE_STATUS_NO_MEM', value: 10, text: 'Out of memory', code: 'no-memory' },
  { name: 'SANE_STATUS_ACCESS_DENIED', value: 11, text: 'Access to resource has been denied', code: 'access-denied' },
];

export function statusByText(text: string): SaneStatus | undefined {
  const wanted = text.trim().toLowerCase();
  return saneStatuses.find((status) => status.text.toLowerCase() === wanted);
}

export function statusByExitCode(exitCode: number): SaneStatus | undefined {
  return saneStatuses.find((status) => status.value === exitCode);
}

/** Where in scanimage's run the failure happened; opening decides between unknown and gone devices. */
export type FailurePhase = 'open' | 'option' | 'scan' | 'usage';

export interface ScanimageFailure {
  readonly phase: FailurePhase;
  /** Undefined when scanimage complained in words of its own rather than with a SANE status. */
  readonly status: SaneStatus | undefined;
  readonly line: string;
}

const failurePatterns: readonly { readonly phase: FailurePhase; readonly pattern: RegExp }[] = [
  { phase: 'open', pattern: /open of device .* failed: (.+)$/ },
  { phase: 'option', pattern: /setting of option --\S+ failed \((.+)\)$/ },
  { phase: 'scan', pattern: /sane_(?:start|read|get_parameters): (.+)$/ },
  { phase: 'usage', pattern: /(unrecognized option|invalid option|option requires an argument|bad option value|illegal unit|illegal separator|out of range)/ },
];

/** The failures scanimage reported on stderr, in order. */
export function parseScanimageFailures(stderr: string): ScanimageFailure[] {
  const failures: ScanimageFailure[] = [];
  for (const rawLine of stderr.split(/\r?\n/)) {
    const line = rawLine.trim();
    for (const { phase, pattern } of failurePatterns) {
      const match = pattern.exec(line);
      if (match) {
        failures.push({ phase, status: phase === 'usage' ? undefined : statusByText(match[1] ?? ''), line });
        break;
      }
    }
  }
  return failures;
}
