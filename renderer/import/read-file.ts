/**
 * A file's bytes as base64, for `import.files`. FileReader's data URL encodes natively and off
 * the UI thread; encoding an ArrayBuffer by hand in JavaScript would stall the UI on a large TIFF.
 */
export function readAsBase64(file: Blob): Promise<string> {
  if (file.size === 0) return Promise.reject(new Error('The file is empty.'));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      try {
        resolve(base64FromDataUrl(String(reader.result)));
      } catch (error) {
        reject(error);
      }
    };
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(file);
  });
}

export function base64FromDataUrl(url: string): string {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma < 0 || !url.slice(0, comma).endsWith(';base64')) {
    throw new Error('The file could not be read as base64 data.');
  }
  return url.slice(comma + 1);
}
