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

function errorForFailure(failure: ScanimageFailure, end: ScanimageEnd, context: OutcomeContext): ScannerError {
  const detail = detailOf(end);
  if (failure.phase === 'open' && (failure.status === undefined || failure.status.code === 'invalid')) {
    return new ScannerError(context.deviceWasListed ? 'device-gone' : 'unknown-device', { detail });
  }
  if (failure.status === undefined) return new ScannerError('invalid', { detail });
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
  if (end.exitCode === 0) return undefined;
  const detail = detailOf(end) || `scanimage ended with ${end.signal ?? `exit status ${String(end.exitCode)}`}`;
  const status = end.exitCode === null ? undefined : statusByExitCode(end.exitCode);
  return new ScannerError(status?.code ?? 'io-error', { detail });
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
