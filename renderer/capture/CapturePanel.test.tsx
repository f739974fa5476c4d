import { describe, expect, it } from 'vitest';
import { renderStatic } from '../test-support/render';
import { CapturePanel } from './CapturePanel';

describe('CapturePanel', () => {
  it('has the device-select, the scan-button (off until a scanner is found) and the capture-status', () => {
    const doc = renderStatic(<CapturePanel />);
    expect(doc.byTestId('device-select')[0]?.tag).toBe('select');
    const [scan] = doc.byTestId('scan-button');
    expect(scan?.tag).toBe('button');
    expect(scan?.attributes).toHaveProperty('disabled');
    expect(doc.byTestId('capture-status')[0]?.text).toBe('Looking for scanners…');
  });
});
