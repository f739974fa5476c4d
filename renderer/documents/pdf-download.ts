/** What offering a file needs of the browser; the app passes the page's own. */
export interface DownloadHost {
  createObjectURL(blob: Blob): string;
  revokeObjectURL(url: string): void;
  /** Follows a link to `url` that saves it as `fileName`. */
  click(url: string, fileName: string): void;
  later(run: () => void): void;
}

export function bytesFromBase64(dataBase64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(dataBase64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** The services name the file; a name that could reach outside the downloads folder is flattened. */
export function downloadName(fileName: string, fallback = 'document.pdf'): string {
  const flat = fileName.replace(/[\\/:*?"<>|\p{Cc}]+/gu, '-').replace(/^[.\s-]+/, '').trim();
  return flat === '' ? fallback : flat;
}

export const browserDownloadHost: DownloadHost = {
  createObjectURL: (blob) => URL.createObjectURL(blob),
  revokeObjectURL: (url) => URL.revokeObjectURL(url),
  click(url, fileName) {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.rel = 'noopener';
    link.style.display = 'none';
    document.body.append(link);
    link.click();
    link.remove();
  },
  // The browser reads the blob after the click returns; the URL must outlive it a little.
  later: (run) => void setTimeout(run, 60_000),
};

/**
 * Offers bytes the services sent (base64) as a file to save: the renderer has no file system,
 * so the bytes become a Blob behind an object URL that a download link follows. Returns the name.
 */
export function offerDownload(dataBase64: string, mimeType: string, fileName: string, host: DownloadHost = browserDownloadHost): string {
  const name = downloadName(fileName);
  const url = host.createObjectURL(new Blob([bytesFromBase64(dataBase64)], { type: mimeType }));
  try {
    host.click(url, name);
  } finally {
    host.later(() => host.revokeObjectURL(url));
  }
  return name;
}
