import { ScannerError } from '../scanner-errors';
import { parseScanimageFailures, statusByExitCode } from './sane-status';
import type { ScanimageFailure } from './sane-status';

/** How one scanimage run ended. */
export interface ScanimageEnd {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the program could not be started at all. */
  readonly spawnError: NodeJS.ErrnoException | undefined;
  readonly stderr: string;
}

export interface OutcomeContext {
  readonly scanimagePath: string;
  /**
   * Whether this device was listed earlier. SANE answers "Invalid argument" when opening a
   * name it does not know; for a device we saw before that means it went away.
   */
  readonly deviceWasListed: boolean;
}

/** For a page scanimage could not write or Arkiva could not read: the sheet went through, the image did not. */
export const UNREADABLE_PAGE_MESSAGE = 'The scanner delivered a page that could not be read. Scan the sheet again.';

const installHint = 'Install the SANE utilities (on Debian/Ubuntu: apt-get install sane-utils).';

function spawnFailureError(error: NodeJS.ErrnoException, scanimagePath: string): ScannerError {
  const missing = error.code === 'ENOENT' || error.code === 'EACCES';
  return new ScannerError(missing ? 'unavailable' : 'io-error', {
    message: missing ? `Scanner support is not installed on this workstation. ${installHint}` : undefined,
    detail: `${scanimagePath}: ${error.message}`,
    cause: error,
  });
}

function detailOf(end: ScanimageEnd): string {
  return end.stderr.trim();
}

function exitStatusCode(end: ScanimageEnd): ScannerError['code'] | undefined {
  return end.exitCode === null ? undefined : statusByExitCode(end.exitCode)?.code;
}

function errorForFailure(failure: ScanimageFailure, end: ScanimageEnd, context: OutcomeContext): ScannerError {
  const detail = detailOf(end);
  if (failure.phase === 'open' && (failure.status === undefined || failure.status.code === 'invalid')) {
    return new ScannerError(context.deviceWasListed ? 'device-gone' : 'unknown-device', { detail });
  }
  if (failure.status === undefined) {
    // A status scanimage could not name while scanning (e.g. after the connection to saned
    // broke) says nothing about the settings: the exit status, else an I/O error.
    if (failure.phase === 'scan') return new ScannerError(exitStatusCode(end) ?? 'io-error', { detail });
    return new ScannerError('invalid', { detail });
  }
  return new ScannerError(failure.status.code, { detail });
}

/**
 * The error a finished scanimage run stands for, or undefined when it succeeded. stderr is the
 * primary evidence (it says which step failed); the exit status, which scanimage sets to the
 * SANE status for scan failures, covers messages we do not recognise.
 */
export function scanimageError(end: ScanimageEnd, context: OutcomeContext): ScannerError | undefined {
  if (end.spawnError) return spawnFailureError(end.spawnError, context.scanimagePath);
  const failures = parseScanimageFailures(end.stderr);
  const last = failures.at(-1);
  if (last) return errorForFailure(last, end, context);
  // scanimage's image writers abort (SIGABRT, exit status 134 through a shell) on a page they
  // cannot encode, e.g. libpng on a page of unknown height: the device did its part.
  if (end.exitCode !== 0 && (/libpng error/i.test(end.stderr) || end.signal === 'SIGABRT' || end.exitCode === 134)) {
    return new ScannerError('io-error', { message: UNREADABLE_PAGE_MESSAGE, detail: detailOf(end) || `scanimage ended with ${end.signal ?? `exit status ${String(end.exitCode)}`}` });
  }
  if (end.exitCode === 0) return undefined;
  const detail = detailOf(end) || `scanimage ended with ${end.signal ?? `exit status ${String(end.exitCode)}`}`;
  return new ScannerError(exitStatusCode(end) ?? 'io-error', { detail });
}

/**
 * Whether a device that failed mid-scan has gone: asked by opening it again. An open that fails
 * other than busy or access-denied (USB unplugged: "Invalid argument"; saned's host gone:
 * "Error during device I/O") means the device is no longer there.
 */
export function deviceGoneError(scanError: ScannerError, probe: ScanimageEnd): ScannerError | undefined {
  if (probe.spawnError || probe.signal !== null) return undefined;
  const open = parseScanimageFailures(probe.stderr).find((failure) => failure.phase === 'open');
  if (!open || open.status?.code === 'busy' || open.status?.code === 'access-denied') return undefined;
  return new ScannerError('device-gone', {
    detail: [scanError.detail, `opened again: ${open.line}`].filter((part) => part !== undefined && part !== '').join('\n'),
    cause: scanError,
  });
}

/**
 * Like `scanimageError`, for a scan job: a feeder running empty after at least one page is how
 * a feeder job ends, and a run that "succeeds" without delivering a page did not succeed.
 */
export function scanJobError(
  end: ScanimageEnd,
  context: OutcomeContext & { readonly pagesDelivered: number },
): ScannerError | undefined {
  const error = scanimageError(end, context);
  if (error?.code === 'feeder-empty' && context.pagesDelivered > 0) return undefined;
  if (error) return error;
  if (context.pagesDelivered > 0) return undefined;
  return new ScannerError('io-error', {
    message: 'The scanner finished without delivering a page. Check that a document is loaded, then scan again.',
    detail: detailOf(end),
  });
}
