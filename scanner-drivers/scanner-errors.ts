/**
 * The failures every scanner backend (SANE, eSCL, TWAIN, WIA) is mapped onto, so that the
 * services and the clerk see one vocabulary whichever stack drove the device.
 */
export const scannerErrorCodes = [
  'jammed',
  'feeder-empty',
  'cover-open',
  'busy',
  'io-error',
  'access-denied',
  'no-memory',
  'cancelled',
  'device-gone',
  'invalid',
  'unsupported',
  'unavailable',
  'unknown-device',
] as const;

export type ScannerErrorCode = (typeof scannerErrorCodes)[number];

const clerkMessages: Record<ScannerErrorCode, string> = {
  jammed: 'The document feeder is jammed. Clear the jam, then scan the sheets that were not captured.',
  'feeder-empty': 'The document feeder is empty. Load the sheets and scan again.',
  'cover-open': 'The scanner cover is open. Close it and scan again.',
  busy: 'The scanner is busy (another program or scan is using it). Wait a moment and scan again.',
  'io-error': 'The scanner stopped responding while scanning. Check the cable and power, then scan again.',
  'access-denied': 'This workstation is not allowed to use the scanner. Ask IT to grant access to the device.',
  'no-memory': 'The scanner ran out of memory. Try a lower resolution or fewer sheets at a time.',
  cancelled: 'The scan was cancelled.',
  'device-gone': 'The scanner is no longer connected. Reconnect it and scan again.',
  invalid: 'The scanner rejected these scan settings.',
  unsupported: 'The scanner does not support these scan settings.',
  unavailable: 'Scanner support is not installed on this workstation.',
  'unknown-device': 'The selected scanner was not found. Refresh the scanner list and choose it again.',
};

export interface ScannerErrorOptions {
  /** Replaces the standard clerk-facing message when the case needs saying more precisely. */
  readonly message?: string | undefined;
  /** What the backend itself said (e.g. scanimage's stderr), kept for support staff and logs. */
  readonly detail?: string | undefined;
  readonly cause?: unknown;
}

export class ScannerError extends Error {
  override readonly name = 'ScannerError';
  readonly detail: string | undefined;

  constructor(
    readonly code: ScannerErrorCode,
    options: ScannerErrorOptions = {},
  ) {
    super(options.message ?? clerkMessages[code], options.cause === undefined ? undefined : { cause: options.cause });
    this.detail = options.detail;
  }
}

export function isScannerError(error: unknown, code?: ScannerErrorCode): error is ScannerError {
  return error instanceof ScannerError && (code === undefined || error.code === code);
}
