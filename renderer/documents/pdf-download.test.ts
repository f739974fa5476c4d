import { describe, expect, it } from 'vitest';
import { bytesFromBase64, downloadName, offerDownload, type DownloadHost } from './pdf-download';

const PDF_BASE64 = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n').toString('base64');

function recordingHost() {
  const blobs: Blob[] = [];
  const clicks: { url: string; fileName: string }[] = [];
  const revoked: string[] = [];
  const deferred: (() => void)[] = [];
  const host: DownloadHost = {
    createObjectURL: (blob) => {
      blobs.push(blob);
      return `blob:arkiva/${blobs.length}`;
    },
    revokeObjectURL: (url) => revoked.push(url),
    click: (url, fileName) => clicks.push({ url, fileName }),
    later: (run) => deferred.push(run),
  };
  return { host, blobs, clicks, revoked, deferred };
}

describe('offering a PDF the services sent', () => {
  it('turns the base64 back into the exact bytes', () => {
    const bytes = bytesFromBase64(PDF_BASE64);
    expect(Buffer.from(bytes).equals(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'))).toBe(true);
  });

  it('saves the bytes as a typed Blob under the services’ file name, and lets the object URL go afterwards', async () => {
    const recorded = recordingHost();
    expect(offerDownload(PDF_BASE64, 'application/pdf', '2019-0457-IML-3f2a9c1e.pdf', recorded.host)).toBe('2019-0457-IML-3f2a9c1e.pdf');
    expect(recorded.clicks).toEqual([{ url: 'blob:arkiva/1', fileName: '2019-0457-IML-3f2a9c1e.pdf' }]);
    const [blob] = recorded.blobs;
    expect(blob?.type).toBe('application/pdf');
    expect(new TextDecoder().decode(new Uint8Array(await blob!.arrayBuffer())).slice(0, 5)).toBe('%PDF-');
    // Revoked only later: the browser reads the blob after the click returns.
    expect(recorded.revoked).toEqual([]);
    recorded.deferred.forEach((run) => run());
    expect(recorded.revoked).toEqual(['blob:arkiva/1']);
  });

  it('flattens a file name that names folders or is empty', () => {
    expect(downloadName('../../etc/passwd')).toBe('etc-passwd');
    expect(downloadName('a\\b:c?.pdf')).toBe('a-b-c-.pdf');
    expect(downloadName('   ')).toBe('document.pdf');
  });
});
