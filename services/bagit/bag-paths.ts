/**
 * Paths inside manifests and fetch.txt come from the bag, that is from whoever made it. A path
 * that could resolve outside the bag is refused outright, on every platform: a bag made or
 * opened on Windows must be as safe as one on Linux, so Windows forms (drive letters, UNC,
 * backslashes, %VARIABLES%) are refused on Linux too. The answer names the exact reason.
 */
export function unsafePathReason(bagPath: string): string | undefined {
  if (bagPath === '') return 'is empty';
  if (bagPath.includes('\0')) return 'contains a NUL character';
  if (bagPath.startsWith('/')) return 'is an absolute path';
  if (bagPath.startsWith('~')) return 'starts with "~", which a shell expands to a home folder outside the bag';
  if (/^[A-Za-z]:/.test(bagPath)) return 'starts with a Windows drive letter (an absolute path on Windows)';
  if (bagPath.startsWith('\\\\') || bagPath.startsWith('//')) return 'is a UNC network path';
  if (/%[A-Za-z_][A-Za-z0-9_]*%/.test(bagPath)) return 'contains a Windows %VARIABLE%, which expands to a folder outside the bag';
  if (bagPath.includes('\\')) return 'contains a backslash, a path separator on Windows; BagIt paths use "/"';
  if (bagPath.split('/').includes('..')) return 'climbs out of its folder with ".."';
  return undefined;
}

/**
 * RFC 8493 §2.1.3: CR, LF and % in file names are percent-encoded in manifests and fetch.txt.
 * Only those three are decoded: older bags (the suite's "bag-with-encoded-names") have files
 * literally named "%7Etest1.txt".
 */
export function decodeBagPath(encoded: string): string {
  return encoded.replace(/%0D|%0A|%25/gi, (escape) => {
    const upper = escape.toUpperCase();
    return upper === '%0D' ? '\r' : upper === '%0A' ? '\n' : '%';
  });
}

export function encodeBagPath(plain: string): string {
  return plain.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Files that operating systems drop into folders on their own; never part of a record. */
export function isSystemFile(bagPath: string): boolean {
  const name = bagPath.split('/').at(-1) ?? '';
  return /^(\.DS_Store|Thumbs\.db|desktop\.ini|\.Spotlight-V100|\.Trashes|ehthumbs\.db)$/i.test(name) || name.startsWith('._');
}
