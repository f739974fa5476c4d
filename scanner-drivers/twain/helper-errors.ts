import { scannerErrorCodes, ScannerError } from '../scanner-errors';
import type { ScannerErrorCode } from '../scanner-errors';

/** TWAIN condition codes (TWAIN 2.4, chapter 11) onto Arkiva's errors; see PROTOCOL.md. */
export const TWCC_CODES: Readonly<Record<number, ScannerErrorCode>> = {
  2: 'no-memory',
  3: 'unknown-device',
  4: 'busy',
  6: 'unsupported',
  10: 'unsupported',
  13: 'unsupported',
  16: 'access-denied',
  20: 'jammed',
  21: 'jammed',
  23: 'device-gone',
  24: 'cover-open',
  29: 'feeder-empty',
};

/** WIA HRESULTs (wia_lh.h) onto Arkiva's errors; see PROTOCOL.md. */
export const WIA_HRESULTS: Readonly<Record<string, ScannerErrorCode>> = {
  '0x80210002': 'jammed',
  '0x80210003': 'feeder-empty',
  '0x80210004': 'jammed',
  '0x80210005': 'device-gone',
  '0x80210006': 'busy',
  '0x80210007': 'busy',
  '0x80210009': 'device-gone',
  '0x8021000a': 'io-error',
  '0x8021000d': 'busy',
  '0x80210015': 'device-gone',
  '0x80210016': 'cover-open',
  '0x80070005': 'access-denied',
};

export interface HelperErrorPayload {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly detail?: unknown;
  readonly twcc?: unknown;
  readonly hresult?: unknown;
}

function isScannerErrorCode(value: unknown): value is ScannerErrorCode {
  return typeof value === 'string' && (scannerErrorCodes as readonly string[]).includes(value);
}

function normaliseHresult(value: unknown): string | undefined {
  if (typeof value === 'number') return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
  if (typeof value === 'string' && /^0x[0-9a-f]{1,8}$/i.test(value)) return `0x${value.slice(2).toLowerCase().padStart(8, '0')}`;
  return undefined;
}

/** The Arkiva error a helper's error stands for: native codes first, since they are what the device said. */
export function helperError(payload: HelperErrorPayload): ScannerError {
  const twcc = typeof payload.twcc === 'number' ? TWCC_CODES[payload.twcc] ?? 'io-error' : undefined;
  const hresult = normaliseHresult(payload.hresult);
  const wia = hresult === undefined ? undefined : WIA_HRESULTS[hresult] ?? 'io-error';
  const code = twcc ?? wia ?? (isScannerErrorCode(payload.code) ? payload.code : 'io-error');
  const said = [
    typeof payload.message === 'string' ? payload.message : undefined,
    typeof payload.detail === 'string' ? payload.detail : undefined,
    typeof payload.twcc === 'number' ? `TWCC ${payload.twcc}` : undefined,
    hresult === undefined ? undefined : `HRESULT ${hresult}`,
  ].filter((part) => part !== undefined);
  return new ScannerError(code, { detail: said.join('; ') || undefined });
}
