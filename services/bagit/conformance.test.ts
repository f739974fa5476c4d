import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateBag } from './validate-bag';

const SUITE = path.resolve(import.meta.dirname, '../../../shared/fixtures/bagit-conformance');

/**
 * The Library of Congress conformance suite, enumerated from disk so that a case added to the
 * suite is tested (and fails until it has an expectation here) rather than silently skipped.
 *
 * valid/ must be accepted; invalid/ and linux-only/ rejected; warning/ accepted with a warning.
 * windows-only/ holds bags that only escape the bag on Windows (drive letters, UNC, %VARIABLES%):
 * Arkiva rejects them on every platform, since a bag verified here may be opened on Windows.
 */
const EXPECTED_ERRORS: Record<string, string> = {
  'baginfo-missing-encoding': 'bad-declaration',
  'bom-in-bagit.txt': 'byte-order-mark',
  'corrupt-data-file': 'checksum-mismatch',
  'corrupt-tag-file': 'tag-checksum-mismatch',
  'extra-file-in-bag': 'not-in-manifest',
  'invalid-version-number': 'bad-declaration',
  'missing-baginfo': 'missing-tag-file',
  'missing-bagit.txt': 'missing-bagit-txt',
  'out-of-scope-file-paths-using-dot-notation': 'path-outside-bag',
  'out-of-scope-file-paths-using-dot-notation-for-fetch': 'path-outside-bag',
  'same-filename-listed-twice-with-different-hashes': 'conflicting-duplicate',
  'same-filename-listed-twice-with-the-same-hash': 'duplicate-entry',
  'bagit-with-invalid-whitespace': 'bad-declaration',
  notAllManifestsListAllFiles: 'not-in-manifest',
  'out-of-scope-file-paths-using-absolute-path': 'path-outside-bag',
  'out-of-scope-file-paths-using-absolute-path-for-fetch': 'path-outside-bag',
  'out-of-scope-file-paths-using-shortcut': 'path-outside-bag',
  'out-of-scope-file-paths-using-shortcut-for-fetch': 'path-outside-bag',
  'out-of-scope-file-paths-using-shortcut-username': 'path-outside-bag',
  'out-of-scope-file-paths-using-shortcut-username-for-fetch': 'path-outside-bag',
  'out-of-scope-file-paths-using-unc': 'path-outside-bag',
  'out-of-scope-file-paths-using-unc-for-fetch': 'path-outside-bag',
};

const EXPECTED_WARNINGS: Record<string, string> = {
  'duplicate-file-with-different-case': 'different-case',
  'made-with-md5sum-tools': 'md5sum-binary-marker',
  'relative-path': 'leading-dot-slash',
  'same-filename-listed-twice-with-different-normalization': 'different-normalization',
  'same-filename-listed-twice-with-the-same-hash': 'duplicate-entry',
  'special-system-files': 'system-file-missing',
};

const KNOWN_GROUPS = new Set(['valid', 'invalid', 'warning', 'linux-only', 'windows-only']);

const cases = readdirSync(SUITE, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name.startsWith('v'))
  .flatMap((version) =>
    readdirSync(path.join(SUITE, version.name), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).flatMap((group) =>
      readdirSync(path.join(SUITE, version.name, group), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => ({ version: version.name, group, name: entry.name })),
    ),
  );

describe('BagIt conformance suite (Library of Congress)', () => {
  it('is present and has every group', () => {
    expect(cases.length).toBeGreaterThan(50);
    expect(new Set(cases.map((entry) => entry.group))).toEqual(KNOWN_GROUPS);
  });

  it.each(cases)('$version/$group/$name', async ({ version, group, name }) => {
    expect(KNOWN_GROUPS, `unknown group ${group}: decide what it means`).toContain(group);
    const result = await validateBag(path.join(SUITE, version, group, name));
    const errors = result.errors.map((problem) => problem.code);
    const warnings = result.warnings.map((problem) => problem.code);
    if (group === 'valid') {
      expect(result.errors).toEqual([]);
    } else if (group === 'warning') {
      expect(result.errors).toEqual([]);
      expect(EXPECTED_WARNINGS[name], `add the expected warning for the new case ${name}`).toBeDefined();
      expect(warnings).toContain(EXPECTED_WARNINGS[name]);
    } else {
      expect(result.ok).toBe(false);
      expect(EXPECTED_ERRORS[name], `add the expected error for the new case ${name}`).toBeDefined();
      expect(errors).toContain(EXPECTED_ERRORS[name]);
    }
  });
});
