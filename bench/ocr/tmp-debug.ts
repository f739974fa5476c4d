import { readFileSync } from 'node:fs';
import { createOcrEngine } from '../../services/ocr/ocr-engine';
import { characterErrorRate } from '../../services/ocr/character-error-rate';
const dir = '/tmp/arkiva-bench-ocr/v1-3/';
const files = ['page-0001-eng.png', 'page-0002-sqi.png', 'page-0003-srp.png'];
const variant = process.argv[2] ?? 'sqi+eng';
const engine = await createOcrEngine({ languages: variant, workers: 1, cleanup: { targetDpi: Number(process.argv[3] ?? 300), despeckle: process.env.DESPECKLE !== '0', minLinePitchPx: Number(process.env.PITCH ?? 40) } });
for (const f of files) {
  const t = performance.now();
  const r = await engine.recognize(readFileSync(dir + f));
  const truth = readFileSync(dir + f.replace('.png', '.txt'), 'utf8');
  console.log(f, r.languages, r.scripts, r.skewDegrees, (performance.now() - t).toFixed(0), 'ms', (characterErrorRate(r.text, truth) * 100).toFixed(2) + '%', r.confidence.toFixed(1));
  if (process.env.DIFF) {
    const a = r.text.split(/\s+/); const b = truth.split(/\s+/);
    const bad = a.filter((w) => !b.includes(w));
    console.log('  not in truth:', bad.slice(0, 30).join(' | '));
  }
}
await engine.close();
