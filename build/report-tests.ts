/**
 * Prints one closing line over every suite `npm test` ran, from Vitest's JSON reports:
 *   tests: N passed, N failed, N skipped
 * (CI recognises that plain form; Vitest's own summary is split per suite.)
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './electron-binary';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const suites = ['unit', 'e2e'];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of suites) {
  const file = path.join(repoRoot, 'test-results', `${suite}.json`);
  if (!existsSync(file)) {
    console.error(`No report for the ${suite} suite (${file}): it did not run.`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8')) as VitestJson;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
