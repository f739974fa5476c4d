import type { Device } from '../../common/api/contract';
import type { DescribedError } from '../errors/describe-error';
import { errorText } from '../errors/error-text';
import type { Translate } from '../i18n/translate';
import type { ScanProgress } from './run-scan';

export type DeviceListState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'loaded'; readonly devices: readonly Device[] }
  | { readonly phase: 'failed'; readonly error: DescribedError };

export interface CaptureStatus {
  readonly text: string;
  readonly tone: 'neutral' | 'busy' | 'success' | 'error';
}

/** The one line that tells the clerk what the scanner is doing, or why it is not. */
export function captureStatus(
  devices: DeviceListState,
  scan: ScanProgress | null,
  deviceName: string,
  t: Translate,
): CaptureStatus {
  if (scan) {
    switch (scan.phase) {
      case 'starting':
        return { text: t('capture.status.starting', { device: deviceName }), tone: 'busy' };
      case 'scanning':
        return { text: t('capture.status.scanning', { count: scan.pagesStored }), tone: 'busy' };
      case 'finished':
        return { text: t('capture.status.finished', { count: scan.pagesStored }), tone: 'success' };
      case 'failed':
        return { text: t('capture.status.failed', { message: errorText(scan.error, t) }), tone: 'error' };
    }
  }
  if (devices.phase === 'loading') return { text: t('capture.devicesLoading'), tone: 'busy' };
  if (devices.phase === 'failed') {
    return { text: t('capture.status.devicesFailed', { message: errorText(devices.error, t) }), tone: 'error' };
  }
  if (devices.devices.length === 0) return { text: t('capture.status.noDevice'), tone: 'neutral' };
  return { text: t('capture.status.idle'), tone: 'neutral' };
}
