/**
 * Test only: the misbehaviour of misbehaving.worker.ts. A module of its own so that its message
 * listener is registered before tesseract.js's, which does a whole page synchronously inside
 * its listener and would have answered before this one ran.
 */
import { parentPort } from 'node:worker_threads';

export const HANG_DPI = '123';
export const CRASH_DPI = '124';

let misbehaviour: 'hang' | 'crash' | undefined;

parentPort?.on('message', (message: { action?: unknown; payload?: { params?: { user_defined_dpi?: unknown } } }) => {
  if (message.action === 'setParameters') {
    const dpi = message.payload?.params?.user_defined_dpi;
    misbehaviour = dpi === HANG_DPI ? 'hang' : dpi === CRASH_DPI ? 'crash' : undefined;
  }
  if (message.action !== 'recognize' || !misbehaviour) return;
  if (misbehaviour === 'crash') process.exit(70);
  // Never returns: the thread's event loop is stuck, as with a hung Tesseract.
  for (;;) {
    /* hang */
  }
});
