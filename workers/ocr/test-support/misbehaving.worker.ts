/**
 * Test only: our OCR worker, plus two ways to fail that tests ask for by the resolution they
 * give a page (Tesseract's `user_defined_dpi`, which the engine sets from the file's DPI just
 * before each page):
 *
 * - 123 dpi: the thread hangs on the page (a busy loop, like Tesseract stuck in a pathological page);
 * - 124 dpi: the thread dies in the middle of the page (like a WebAssembly abort).
 *
 * Built on the fly by the tests that use it (buildMisbehavingWorker in services/ocr/test-fixtures.ts); never shipped.
 */
// Imported in this order on purpose: see misbehave.ts.
import './misbehave';
import '../tesseract.worker';
