/**
 * Tag files are text in the encoding bagit.txt declares (RFC 8493 §2.1.1). Manifests are hashed
 * as bytes, but read as text in that encoding: the conformance suite has ISO-8859-1 and UTF-16 bags.
 */
export function decodeTagText(bytes: Uint8Array, encoding: string): string {
  const label = encoding.trim().toLowerCase();
  if (label === 'utf-16' || label === 'utf16') return decodeUtf16(bytes);
  if (label === 'iso-8859-1' || label === 'latin1' || label === 'latin-1') {
    // WHATWG's TextDecoder maps "iso-8859-1" to windows-1252; Buffer's latin1 is the real thing.
    return Buffer.from(bytes).toString('latin1');
  }
  const decoder = new TextDecoder(label, { fatal: true, ignoreBOM: false });
  return decoder.decode(bytes);
}

/** Throws a RangeError for an encoding this Node cannot decode. */
export function checkEncodingSupported(encoding: string): void {
  const label = encoding.trim().toLowerCase();
  if (['utf-16', 'utf16', 'iso-8859-1', 'latin1', 'latin-1'].includes(label)) return;
  new TextDecoder(label);
}

function decodeUtf16(bytes: Uint8Array): string {
  // Without a byte-order mark, UTF-16 is big-endian (Unicode §3.10, RFC 2781 §4.3).
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
  const body = bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2) : bytes;
  return new TextDecoder('utf-16be', { fatal: true }).decode(body);
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Lines ending in LF, CRLF or CR (all three occur in real bags); a missing final newline is fine. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export interface TagEntry {
  readonly label: string;
  readonly value: string;
  readonly line: number;
}

/**
 * Parses `Label: value` lines with continuation lines that start with whitespace (RFC 8493
 * §2.2.2). Whitespace around the colon is tolerated in bag-info.txt (the suite's
 * "uncommon-metadata-separators" bag is valid); bagit.txt is held to the strict form elsewhere.
 */
export function parseTagLines(text: string): { entries: TagEntry[]; malformed: number[] } {
  const entries: { label: string; value: string; line: number }[] = [];
  const malformed: number[] = [];
  splitLines(text).forEach((line, index) => {
    if (/^[ \t]/.test(line)) {
      const last = entries.at(-1);
      if (last) last.value = `${last.value} ${line.trim()}`;
      else malformed.push(index + 1);
      return;
    }
    if (line.trim() === '') return;
    const colon = line.indexOf(':');
    if (colon <= 0 || line.slice(0, colon).trim() === '') {
      malformed.push(index + 1);
      return;
    }
    entries.push({ label: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim(), line: index + 1 });
  });
  return { entries, malformed };
}

/** All values of a label, compared case-insensitively as RFC 8493 §2.2.2 asks. */
export function valuesOf(entries: readonly TagEntry[], label: string): string[] {
  const wanted = label.toLowerCase();
  return entries.filter((entry) => entry.label.toLowerCase() === wanted).map((entry) => entry.value);
}
