import { describe, expect, it } from 'vitest';
import { renderStatic } from '../test-support/render';
import { HeaderView } from './Header';

describe('HeaderView', () => {
  it('shows in host-badge which host the app runs on', () => {
    for (const host of ['electron', 'local'] as const) {
      const doc = renderStatic(<HeaderView info={{ version: '0.1.0', host, ocrLanguages: [] }} />);
      expect(doc.byTestId('host-badge')[0]?.text).toContain(host);
    }
  });

  it('names the OCR languages, and shows codes it does not know as they are', () => {
    const doc = renderStatic(<HeaderView info={{ version: '0.1.0', host: 'local', ocrLanguages: ['sqi', 'srp', 'srp_latn', 'eng', 'deu'] }} />);
    expect(doc.html).toContain('Albanian');
    expect(doc.html).toContain('Serbian (Cyrillic)');
    expect(doc.html).toContain('Serbian (Latin)');
    expect(doc.html).toContain('English');
    expect(doc.html).toContain('>deu<');
  });

  it('warns when no OCR language is installed', () => {
    const doc = renderStatic(<HeaderView info={{ version: '0.1.0', host: 'local', ocrLanguages: [] }} />);
    expect(doc.html).toContain('none installed');
  });

  it('holds the sign-in, which waits for the services to say who is signed in', () => {
    expect(renderStatic(<HeaderView info={null} />).byTestId('session-control')[0]?.text).toBe('…');
  });

  it('keeps the host-badge in place while the services have not answered', () => {
    expect(renderStatic(<HeaderView info={null} />).byTestId('host-badge')).toHaveLength(1);
  });
});
