import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isSystemFile, unsafePathReason, decodeBagPath } from './bag-paths';
import { digestHexLength, hashFiles, isSupportedAlgorithm, type HashJob } from './hash-files';
import { parseManifest } from './manifest';
import { ProblemList, type BagProblem } from './problems';
import { checkEncodingSupported, decodeTagText, hasUtf8Bom, parseTagLines, splitLines, valuesOf, type TagEntry } from './tag-text';
import { walkBag, type BagFile } from './walk-bag';

export interface ManifestSummary {
  readonly kind: 'payload' | 'tag';
  readonly algorithm: string;
  readonly file: string;
  /** Bag path → expected digest (lowercase hex). */
  readonly entries: Map<string, string>;
}

export interface BagValidation {
  /** True when there are no errors; warnings do not make a bag invalid. */
  readonly ok: boolean;
  readonly root: string;
  readonly version?: string;
  readonly encoding?: string;
  readonly errors: readonly BagProblem[];
  readonly warnings: readonly BagProblem[];
  /** bag-info.txt (package-info.txt before BagIt 0.96), in file order, duplicates kept. */
  readonly info: readonly TagEntry[];
  readonly manifests: readonly ManifestSummary[];
  /** Every regular file in the bag. */
  readonly files: ReadonlyMap<string, BagFile>;
  /** Digests we computed ourselves, per file and algorithm. */
  readonly computed: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly payload: { readonly files: number; readonly octets: number };
}

export interface ValidateOptions {
  /** How long hashing may hold the event loop at a time (see hashFiles). */
  readonly sliceMs?: number;
}

const KNOWN_VERSIONS = new Set(['0.93', '0.94', '0.95', '0.96', '0.97', '1.0']);

/**
 * Validates a BagIt bag (RFC 8493, and the earlier drafts the Library of Congress suite covers):
 * structure, declarations, path safety, completeness and every checksum, re-hashed from the
 * bytes on disk. Nothing in the bag is trusted: manifest paths are only matched against the
 * files actually found, never opened directly.
 *
 * Written here rather than taken from npm: no maintained JavaScript BagIt validator exists (the
 * reference implementations are bagit-python and bagit-java), and the ones on npm neither pass
 * the conformance suite nor refuse out-of-bag paths.
 */
export async function validateBag(root: string, options: ValidateOptions = {}): Promise<BagValidation> {
  const problems = new ProblemList();
  const result = {
    root,
    info: [] as TagEntry[],
    manifests: [] as ManifestSummary[],
    files: new Map<string, BagFile>(),
    computed: new Map<string, Record<string, string>>(),
    payload: { files: 0, octets: 0 },
  };
  const finish = (extra: { version?: string; encoding?: string } = {}): BagValidation => ({
    ...result,
    ...extra,
    ok: problems.errors.length === 0,
    errors: problems.errors,
    warnings: problems.warnings,
  });

  try {
    if (!(await stat(root)).isDirectory()) {
      problems.error('not-a-directory', `${root} is not a folder; a bag is a folder.`);
      return finish();
    }
  } catch {
    problems.error('not-found', `${root} does not exist.`);
    return finish();
  }

  const listing = await walkBag(root);
  result.files = listing.files;
  for (const odd of listing.oddities) {
    problems.error('not-a-regular-file', `is a ${odd.kind}; a bag holds only regular files and folders.`, odd.path);
  }

  const declaration = await readDeclaration(root, listing.files, problems);
  if (!declaration) return finish();
  const { version, encoding } = declaration;
  const major = Number(version.split('.')[0]);
  if (!KNOWN_VERSIONS.has(version)) problems.warn('unknown-version', `BagIt-Version ${version} is not one this validator knows; checked as 1.0.`, 'bagit.txt');

  const readTag = async (bagPath: string): Promise<string | undefined> => {
    if (!listing.files.has(bagPath)) return undefined;
    const bytes = await readFile(path.join(root, bagPath));
    if (encoding.toLowerCase() === 'utf-8' && hasUtf8Bom(bytes)) {
      problems.warn('byte-order-mark', 'starts with a UTF-8 byte-order mark, which BagIt tag files should not have.', bagPath);
    }
    try {
      return decodeTagText(bytes, encoding);
    } catch {
      problems.error('undecodable-tag-file', `is not valid ${encoding}, the encoding bagit.txt declares.`, bagPath);
      return undefined;
    }
  };

  // bag-info.txt (package-info.txt in BagIt 0.93 to 0.95).
  const infoName = listing.files.has('bag-info.txt') ? 'bag-info.txt' : listing.files.has('package-info.txt') ? 'package-info.txt' : undefined;
  if (infoName) {
    const text = await readTag(infoName);
    if (text !== undefined) {
      const parsed = parseTagLines(text);
      result.info = parsed.entries;
      for (const line of parsed.malformed) problems.error('malformed-tag-line', `line ${line} is not "Label: value".`, infoName);
    }
  }

  // Manifests.
  const manifestFiles = [...listing.files.keys()].filter((file) => /^(tag)?manifest-[^/]+\.txt$/.test(file)).sort();
  for (const file of manifestFiles) {
    const match = /^(tag)?manifest-(.+)\.txt$/.exec(file);
    const algorithm = match?.[2]?.toLowerCase() ?? '';
    const kind = match?.[1] ? 'tag' : 'payload';
    if (!isSupportedAlgorithm(algorithm)) {
      problems.error('unsupported-algorithm', `uses checksum algorithm "${algorithm}", which this validator cannot compute.`, file);
      continue;
    }
    const text = await readTag(file);
    if (text === undefined) continue;
    const parsed = parseManifest(text);
    for (const line of parsed.malformed) problems.error('malformed-manifest-line', `line ${line} is not "CHECKSUM PATH".`, file);
    const expectedLength = digestHexLength(algorithm);
    const entries = new Map<string, string>();
    const folded = new Map<string, string>();
    for (const entry of parsed.lines) {
      const where = `${file} line ${entry.line}`;
      if (entry.digest.length !== expectedLength) {
        problems.error('malformed-manifest-line', `line ${entry.line}: "${entry.digest}" is not a ${algorithm} checksum.`, file);
        continue;
      }
      if (entry.hadBinaryMarker) problems.warn('md5sum-binary-marker', `${where}: "*" before the path is md5sum's binary-mode marker, not part of a BagIt manifest.`, entry.path);
      if (entry.hadLeadingDotSlash) problems.warn('leading-dot-slash', `${where}: the path starts with "./"; BagIt paths are relative to the bag without it.`, entry.path);
      const unsafe = unsafePathReason(entry.path);
      if (unsafe) {
        problems.error('path-outside-bag', `${where}: the path ${unsafe}; it must stay inside the bag.`, entry.path);
        continue;
      }
      if (kind === 'payload' && !entry.path.startsWith('data/')) {
        problems.error('path-outside-payload', `${where}: a payload manifest may only list files under data/.`, entry.path);
        continue;
      }
      const previous = entries.get(entry.path);
      if (previous !== undefined) {
        if (previous !== entry.digest) problems.error('conflicting-duplicate', `${where}: listed again with a different checksum.`, entry.path);
        else if (major >= 1) problems.error('duplicate-entry', `${where}: listed twice; BagIt 1.0 allows each file once per manifest.`, entry.path);
        else problems.warn('duplicate-entry', `${where}: listed twice (with the same checksum).`, entry.path);
        continue;
      }
      const key = entry.path.normalize('NFC').toLowerCase();
      const twin = folded.get(key);
      if (twin !== undefined) {
        const sameNormalization = twin.normalize('NFC') === entry.path.normalize('NFC');
        problems.warn(
          sameNormalization ? 'different-normalization' : 'different-case',
          `${where}: the same name as "${twin}" up to ${sameNormalization ? 'Unicode normalization' : 'letter case'}; some file systems store them as one file.`,
          entry.path,
        );
      } else {
        folded.set(key, entry.path);
      }
      entries.set(entry.path, entry.digest);
    }
    result.manifests.push({ kind, algorithm, file, entries });
  }
  const payloadManifests = result.manifests.filter((manifest) => manifest.kind === 'payload');
  if (!manifestFiles.some((file) => file.startsWith('manifest-'))) {
    problems.error('missing-manifest', 'the bag has no payload manifest (manifest-<algorithm>.txt).');
  }

  // fetch.txt: a holey bag names files still to be fetched. Arkiva never downloads at run time,
  // so a listed file must already be present for the bag to be complete.
  const fetched = new Set<string>();
  const fetchText = await readTag('fetch.txt');
  if (fetchText !== undefined) {
    splitLines(fetchText).forEach((raw, index) => {
      if (raw.trim() === '') return;
      const match = /^(\S+)[ \t]+(\d+|-)[ \t]+(.+)$/.exec(raw);
      const where = `fetch.txt line ${index + 1}`;
      if (!match?.[3]) {
        problems.error('malformed-fetch-line', `line ${index + 1} is not "URL LENGTH PATH".`, 'fetch.txt');
        return;
      }
      const target = decodeBagPath(match[3]);
      const unsafe = unsafePathReason(target);
      if (unsafe) return problems.error('path-outside-bag', `${where}: the path ${unsafe}; it must stay inside the bag.`, target);
      if (!target.startsWith('data/')) return problems.error('path-outside-payload', `${where}: fetch.txt may only name files under data/.`, target);
      fetched.add(target);
      for (const manifest of payloadManifests) {
        if (!manifest.entries.has(target)) problems.error('fetch-not-in-manifest', `${where}: not listed in ${manifest.file}.`, target);
      }
      if (!listing.files.has(target)) problems.error('not-fetched', `${where}: not in the bag yet; fetch it from ${match[1]} before validating.`, target);
    });
  }

  // Resolve every manifest entry to a file we found, then hash each file once for all algorithms.
  const jobs = new Map<string, Set<string>>();
  const checks: { manifest: ManifestSummary; entry: string; file: string; digest: string }[] = [];
  const missingSystemFiles = new Set<string>();
  const coveredPayload = new Map<ManifestSummary, Set<string>>();
  for (const manifest of result.manifests) {
    const covered = new Set<string>();
    coveredPayload.set(manifest, covered);
    for (const [entry, digest] of manifest.entries) {
      const file = resolveEntry(entry, listing.files, problems, manifest.file);
      if (file === undefined) {
        if (fetched.has(entry)) continue;
        if (isSystemFile(entry)) {
          missingSystemFiles.add(entry);
          problems.warn('system-file-missing', `listed in ${manifest.file} but absent; an operating-system file that copying tools often drop.`, entry);
        } else {
          problems.error(manifest.kind === 'tag' ? 'missing-tag-file' : 'missing-file', `listed in ${manifest.file} but not in the bag.`, entry);
        }
        continue;
      }
      covered.add(file);
      checks.push({ manifest, entry, file, digest });
      const algorithms = jobs.get(file) ?? new Set<string>();
      algorithms.add(manifest.algorithm);
      jobs.set(file, algorithms);
    }
  }

  // Every payload file in every payload manifest (RFC 8493 §3).
  const payloadFiles = [...listing.files.values()].filter((file) => file.path.startsWith('data/'));
  result.payload = { files: payloadFiles.length, octets: payloadFiles.reduce((sum, file) => sum + file.size, 0) };
  for (const file of payloadFiles) {
    for (const manifest of payloadManifests) {
      if (coveredPayload.get(manifest)?.has(file.path)) continue;
      if (isSystemFile(file.path)) problems.warn('system-file-unlisted', `an operating-system file not listed in ${manifest.file}.`, file.path);
      else problems.error('not-in-manifest', `is in the payload but not listed in ${manifest.file} (a file added to the bag?).`, file.path);
    }
  }

  const jobList: HashJob[] = [...jobs].map(([file, algorithms]) => ({ file, algorithms: [...algorithms] }));
  const outcomes = await hashFiles(
    jobList.map((job) => ({ file: path.join(root, job.file), algorithms: job.algorithms })),
    options.sliceMs === undefined ? {} : { sliceMs: options.sliceMs },
  );
  jobList.forEach((job, index) => {
    const outcome = outcomes[index];
    if (outcome && 'digests' in outcome) result.computed.set(job.file, outcome.digests);
    else problems.error('unreadable-file', `cannot be read: ${outcome?.error.message ?? 'unknown error'}.`, job.file);
  });
  for (const check of checks) {
    const actual = result.computed.get(check.file)?.[check.manifest.algorithm];
    if (actual === undefined) continue;
    if (actual !== check.digest) {
      problems.error(
        check.manifest.kind === 'tag' ? 'tag-checksum-mismatch' : 'checksum-mismatch',
        `${check.manifest.algorithm} is ${actual}, but ${check.manifest.file} says ${check.digest}: the file changed after the bag was made.`,
        check.file,
      );
    }
  }

  checkOxum(result.info, result.payload, missingSystemFiles, infoName, problems);
  return finish({ version, encoding });
}

async function readDeclaration(root: string, files: ReadonlyMap<string, BagFile>, problems: ProblemList) {
  if (!files.has('bagit.txt')) {
    problems.error('missing-bagit-txt', 'the bag has no bagit.txt declaration.', 'bagit.txt');
    return undefined;
  }
  const bytes = await readFile(path.join(root, 'bagit.txt'));
  if (hasUtf8Bom(bytes)) {
    problems.error('byte-order-mark', 'starts with a byte-order mark, which RFC 8493 §2.1.1 forbids in bagit.txt.', 'bagit.txt');
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    problems.error('undecodable-tag-file', 'is not valid UTF-8.', 'bagit.txt');
    return undefined;
  }
  const lines = splitLines(text);
  const version = /^BagIt-Version: ([0-9]+\.[0-9]+)$/.exec(lines[0] ?? '')?.[1];
  const encoding = /^Tag-File-Character-Encoding: (\S+)$/.exec(lines[1] ?? '')?.[1];
  if (!version) {
    problems.error('bad-declaration', `the first line must be "BagIt-Version: M.N" exactly, not "${lines[0] ?? ''}".`, 'bagit.txt');
  }
  if (!encoding) {
    problems.error('bad-declaration', `the second line must be "Tag-File-Character-Encoding: ENCODING" exactly, not "${lines[1] ?? ''}".`, 'bagit.txt');
  }
  if (lines.length > 2) problems.error('bad-declaration', 'must have exactly two lines.', 'bagit.txt');
  // A declaration that is only slightly off (stray spaces) is already an error, but the rest of
  // the bag is still checked so that the report lists everything that is wrong at once.
  const lenientVersion = version ?? /^\s*BagIt-Version\s*:\s*([0-9]+\.[0-9]+)\s*$/.exec(lines[0] ?? '')?.[1];
  const lenientEncoding = encoding ?? /^\s*Tag-File-Character-Encoding\s*:\s*(\S+)\s*$/.exec(lines[1] ?? '')?.[1];
  if (!lenientVersion || !lenientEncoding) return undefined;
  const declared = { version: lenientVersion, encoding: lenientEncoding };
  try {
    checkEncodingSupported(declared.encoding);
  } catch {
    problems.error('unsupported-encoding', `declares the tag file encoding "${declared.encoding}", which this validator cannot read.`, 'bagit.txt');
    return undefined;
  }
  return declared;
}

/**
 * A manifest path not found as written may name an existing file in another Unicode
 * normalization or letter case (bags made on macOS or Windows); it is accepted with a warning
 * when exactly one file matches, and that file's bytes are what get checked.
 */
function resolveEntry(entry: string, files: ReadonlyMap<string, BagFile>, problems: ProblemList, manifest: string): string | undefined {
  if (files.has(entry)) return entry;
  const nfc = entry.normalize('NFC');
  const byNormalization = [...files.keys()].filter((file) => file.normalize('NFC') === nfc);
  if (byNormalization.length === 1 && byNormalization[0]) {
    problems.warn('different-normalization', `listed in ${manifest} in another Unicode normalization than the file "${byNormalization[0]}".`, entry);
    return byNormalization[0];
  }
  const folded = nfc.toLowerCase();
  const byCase = [...files.keys()].filter((file) => file.normalize('NFC').toLowerCase() === folded);
  if (byCase.length === 1 && byCase[0]) {
    problems.warn('different-case', `listed in ${manifest} with other letter case than the file "${byCase[0]}"; only a case-insensitive file system sees them as one.`, entry);
    return byCase[0];
  }
  return undefined;
}

function checkOxum(
  info: readonly TagEntry[],
  payload: { files: number; octets: number },
  missingSystemFiles: ReadonlySet<string>,
  infoName: string | undefined,
  problems: ProblemList,
): void {
  const values = valuesOf(info, 'Payload-Oxum');
  if (values.length === 0) {
    if (infoName === 'bag-info.txt') problems.warn('payload-oxum-missing', 'has no Payload-Oxum, so a truncated copy cannot be spotted before hashing.', infoName);
    return;
  }
  if (new Set(values).size > 1) problems.error('payload-oxum-conflict', `declares Payload-Oxum ${values.length} times with different values.`, infoName);
  const declared = values[0] ?? '';
  const match = /^(\d+)\.(\d+)$/.exec(declared);
  if (!match) {
    problems.error('payload-oxum-malformed', `Payload-Oxum "${declared}" is not OCTETS.FILES.`, infoName);
    return;
  }
  const octets = Number(match[1]);
  const count = Number(match[2]);
  if (octets === payload.octets && count === payload.files) return;
  const actual = `${payload.octets}.${payload.files}`;
  if (count - payload.files === missingSystemFiles.size && missingSystemFiles.size > 0 && octets >= payload.octets) {
    problems.warn('payload-oxum-mismatch', `Payload-Oxum says ${declared}, the payload is ${actual}: the difference is the absent operating-system files.`, infoName);
    return;
  }
  problems.error('payload-oxum-mismatch', `Payload-Oxum says ${declared} (octets.files), but the payload holds ${actual}: a payload file was added, removed or changed size.`, infoName);
}
