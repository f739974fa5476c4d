/**
 * The worker thread that runs Tesseract. The OCR engine hands this file to tesseract.js as
 * `workerPath`; it seals the thread off from the network and from tesseract.js's failure modes
 * that would take the host process down or leave it waiting, then runs tesseract.js's own Node
 * worker script.
 */
import { createRequire } from 'node:module';
import { parentPort } from 'node:worker_threads';
import { forbidNetwork } from './forbid-network';
import { guardJobs } from './guard-jobs';

if (!parentPort) throw new Error('tesseract.worker must run as a worker thread (tesseract.js starts it)');

forbidNetwork('the OCR worker');

let ending = false;
function end(): void {
  // The rejections are already queued to the host, which learns the reason from them; ending the
  // thread is what lets the host process exit instead of waiting on a worker that cannot work.
  if (ending) return;
  ending = true;
  setImmediate(() => process.exit(1));
}

const jobs = guardJobs(parentPort, (reply) => {
  process.stderr.write(`arkiva OCR worker: ${String(reply.action)} failed, ending the thread\n`);
  end();
});

// Otherwise an uncaught exception surfaces in the host as an 'error' event that nothing listens
// to while tesseract.js is still starting the worker, which crashes the host.
process.on('uncaughtException', (error) => {
  process.stderr.write(`arkiva OCR worker crashed: ${error.stack ?? String(error)}\n`);
  jobs.failAll(`The OCR worker crashed: ${error.message}`);
  end();
});

// Loaded only now, because the worker script takes its fetch from globalThis when it loads.
// (Named `load`, not `require`: the build's banner already declares `require`.)
const load = createRequire(import.meta.url);
load('tesseract.js/src/worker-script/node/index.js');
