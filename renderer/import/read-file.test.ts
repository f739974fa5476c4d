import { describe, expect, it } from 'vitest';
import { base64FromDataUrl, readAsBase64 } from './read-file';

describe('base64FromDataUrl', () => {
  it('takes the data after the comma of a base64 data URL', () => {
    expect(base64FromDataUrl('data:image/png;base64,iVBORw0KGgo=')).toBe('iVBORw0KGgo=');
    expect(base64FromDataUrl('data:application/octet-stream;base64,AAEC')).toBe('AAEC');
  });

  it('refuses anything else rather than sending garbage', () => {
    expect(() => base64FromDataUrl('data:text/plain,hello')).toThrow();
    expect(() => base64FromDataUrl('null')).toThrow();
    expect(() => base64FromDataUrl('')).toThrow();
  });
});

describe('readAsBase64', () => {
  it('refuses an empty file with a clear reason', async () => {
    await expect(readAsBase64(new Blob([]))).rejects.toThrow('The file is empty.');
  });
});
