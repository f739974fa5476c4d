// Prepares a machine to run and test Arkiva: Debian packages (when run as root on Debian), then
// npm packages. Idempotent and quick when nothing changed, so `npm start` and `npm test` always
// call it. Plain JavaScript because it runs before any npm package (TypeScript included) exists.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the app and its tests need from the system. OCR language data ships as Debian's tessdata_fast models. */
export const DEBIAN_PACKAGES = [
  'chromium', // end-to-end tests and the local host's browser
  'sane-utils', // scanimage and SANE's test backend
  'tesseract-ocr', // native reference for the OCR benchmark
  'tesseract-ocr-eng',
  'tesseract-ocr-sqi',
  'tesseract-ocr-srp',
  'tesseract-ocr-srp-latn',
  'tesseract-ocr-osd',
  'fonts-dejavu-core',
  'poppler-utils', // pdftotext/pdftoppm: tests read back the PDF/A text layer
  'qpdf', // qpdf --check in the PDF tests
  'openssl', // the documented way to verify a batch's signatures without Arkiva
];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
}

function missingDebianPackages() {
  return DEBIAN_PACKAGES.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.includes('install ok installed');
  });
}

function setupSystem() {
  if (!existsSync('/etc/debian_version')) {
    console.log('setup: not Debian; install Chromium, SANE (scanimage) and Tesseract language data (eng, sqi, srp, srp_latn, osd) yourself.');
    return;
  }
  const missing = missingDebianPackages();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.warn(`setup: missing Debian packages: ${missing.join(' ')}\n       install them with: sudo apt-get install ${missing.join(' ')}`);
    return;
  }
  console.log(`setup: installing Debian packages: ${missing.join(' ')}`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function lockDigest(projectDir) {
  return createHash('sha256').update(readFileSync(path.join(projectDir, 'package-lock.json'))).digest('hex');
}

/**
 * Installs the npm packages unless the stamp in node_modules says this very lock file was installed.
 * Returns whether it installed. `install` is replaceable for the spec.
 */
export function setupNpm(projectDir = root, install = () => run('npm', ['install', '--no-audit', '--no-fund'])) {
  const stamp = path.join(projectDir, 'node_modules', '.arkiva-setup');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === lockDigest(projectDir)) return false;
  // `npm install`, not `npm ci`: both install the versions package-lock.json pins, but npm 11's
  // `ci` also demands lock entries for every other platform's optional binaries (rollup's, for
  // instance), which npm on our machines does not write (npm/cli#4828; fixed upstream by npm/cli#9083).
  console.log('setup: installing npm packages (npm install, as pinned by package-lock.json)');
  install();
  // npm install may rewrite the lock as it goes (optional binaries of other platforms), so the stamp
  // is of the lock as install left it: a digest taken before would make the next run install again.
  mkdirSync(path.dirname(stamp), { recursive: true });
  writeFileSync(stamp, lockDigest(projectDir));
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  setupSystem();
  if (!process.argv.includes('--system-only')) setupNpm();
}
