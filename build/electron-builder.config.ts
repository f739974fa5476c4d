// Packaging for clerks' workstations: `npm run dist` (Debian package and AppImage on Linux, an NSIS
// installer on Windows). Not part of CI: electron-builder downloads Electron for the target.
// `test/build/electron-builder-config.test.ts` holds this file to what the app needs at run time.
import type { Configuration } from 'electron-builder';
import { PACKAGED_TESSDATA_FOLDER, SYSTEM_TESSDATA_DIRS } from '../services/ocr/tessdata';

/**
 * Packages that load native addons, wasm or worker scripts by file path, which cannot be read from
 * inside app.asar: sharp and its libvips (@img), @napi-rs/canvas and its platform binary, and
 * tesseract.js with its wasm core (the OCR worker thread requires tesseract.js's worker script).
 */
export const UNPACKED_PACKAGES = ['sharp', '@img', '@napi-rs', 'tesseract.js', 'tesseract.js-core'];

/** The built worker threads: started by path, so they too must be real files. */
export const UNPACKED_DIST = 'dist/workers';

/** The language models to ship, from the packaging machine (`ARKIVA_TESSDATA`, else Debian's folder). */
export const TESSDATA_SOURCE = process.env.ARKIVA_TESSDATA?.trim() || SYSTEM_TESSDATA_DIRS[0]!;

const config: Configuration = {
  appId: 'org.arkiva.workstation',
  productName: 'Arkiva',
  copyright: 'Arkiva',
  directories: { output: 'release', buildResources: 'build/resources' },
  // Everything the app runs is built into dist/ (`npm run build`); npm dependencies are added by
  // electron-builder from package.json.
  files: ['dist/**', '!dist/**/*.map', 'package.json'],
  asar: true,
  asarUnpack: [...UNPACKED_PACKAGES.map((name) => `node_modules/${name}/**`), `${UNPACKED_DIST}/**`],
  extraResources: [{ from: TESSDATA_SOURCE, to: PACKAGED_TESSDATA_FOLDER, filter: ['*.traineddata'] }],
  // sharp and @napi-rs/canvas ship prebuilt Node-API binaries, which need no rebuild for Electron
  // (and a rebuild would need headers from the network).
  npmRebuild: false,
  linux: {
    target: ['deb', 'AppImage'],
    category: 'Office',
    maintainer: 'Arkiva <arkiva@localhost>',
    synopsis: 'Digitising paper archives: capture, OCR, search, sealed batches',
  },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true },
};

export default config;
