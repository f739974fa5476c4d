import { describe, expect, it } from 'vitest';
import { formatCapturedAt, formatConfidence } from './format';

describe('formatCapturedAt', () => {
  it('formats an ISO time for the UI language', () => {
    expect(formatCapturedAt('2025-03-01T09:00:00.000Z', 'en')).toMatch(/2025/);
  });

  it('shows an unreadable time as it came, rather than "Invalid Date"', () => {
    expect(formatCapturedAt('yesterday', 'en')).toBe('yesterday');
  });
});

describe('formatConfidence', () => {
  it('rounds Tesseract confidence to a whole percentage within 0–100', () => {
    expect(formatConfidence(91.6)).toBe(92);
    expect(formatConfidence(-3)).toBe(0);
    expect(formatConfidence(100.4)).toBe(100);
  });
});
