import { decodeBagPath } from './bag-paths';
import { splitLines } from './tag-text';

export interface ManifestLine {
  readonly digest: string;
  /** As written, minus a leading "./" or md5sum's "*"; percent-decoding applied. */
  readonly path: string;
  readonly line: number;
  readonly hadLeadingDotSlash: boolean;
  readonly hadBinaryMarker: boolean;
}

/**
 * `CHECKSUM<whitespace>FILEPATH` per line (RFC 8493 §2.1.3). The path runs to the end of the
 * line and may contain spaces. "*" before the path is md5sum's binary-mode marker and "./" a
 * redundant prefix: both are accepted with a warning by the caller, as the conformance suite asks.
 */
export function parseManifest(text: string): { lines: ManifestLine[]; malformed: number[] } {
  const lines: ManifestLine[] = [];
  const malformed: number[] = [];
  splitLines(text).forEach((raw, index) => {
    if (raw.trim() === '') return;
    const match = /^([0-9A-Fa-f]+)[ \t]+(.+)$/.exec(raw);
    if (!match?.[1] || !match[2]) {
      malformed.push(index + 1);
      return;
    }
    let rest = match[2];
    const hadBinaryMarker = rest.startsWith('*');
    if (hadBinaryMarker) rest = rest.slice(1);
    const hadLeadingDotSlash = rest.startsWith('./');
    if (hadLeadingDotSlash) rest = rest.slice(2);
    lines.push({ digest: match[1].toLowerCase(), path: decodeBagPath(rest), line: index + 1, hadLeadingDotSlash, hadBinaryMarker });
  });
  return { lines, malformed };
}
