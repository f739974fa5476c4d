import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { guardJobs } from './guard-jobs';

/** A stand-in for the worker's parentPort: `receive` is the host sending a job. */
function guardedPort() {
  const delivered: unknown[] = [];
  const startFailures: unknown[] = [];
  const port = Object.assign(new EventEmitter(), { postMessage: (message: unknown) => void delivered.push(message) });
  const guard = guardJobs(port, (reply) => startFailures.push(reply));
  const receive = (action: string, jobId: string) => port.emit('message', { workerId: 'Worker-1', jobId, action, payload: {} });
  return { port, guard, receive, delivered, startFailures };
}

const reply = (action: string, jobId: string, status: string, data?: unknown) => ({ workerId: 'Worker-1', jobId, action, status, data });

describe('guardJobs', () => {
  it('passes progress reports and successful replies through unchanged and in order', () => {
    const { port, delivered, startFailures } = guardedPort();
    const sent = [
      reply('load', 'Job-1', 'progress', { progress: 0.5 }),
      reply('load', 'Job-1', 'resolve', { loaded: true }),
      reply('recognize', 'Job-2', 'resolve', { text: 'x' }),
    ];
    for (const message of sent) port.postMessage(message);
    expect(delivered).toEqual(sent);
    expect(startFailures).toEqual([]);
  });

  it('drops a second settlement of a job that was rejected (tesseract.js crashes its host on it)', () => {
    const { port, delivered } = guardedPort();
    port.postMessage(reply('initialize', 'Job-3', 'reject', 'initialization failed'));
    port.postMessage(reply('initialize', 'Job-3', 'resolve'));
    port.postMessage(reply('initialize', 'Job-4', 'resolve'));
    expect(delivered).toEqual([reply('initialize', 'Job-3', 'reject', 'initialization failed'), reply('initialize', 'Job-4', 'resolve')]);
  });

  it.each(['load', 'loadLanguage', 'initialize'])('reports a rejected %s as a failed start, after passing it on', (action) => {
    const { port, delivered, startFailures } = guardedPort();
    const rejection = reply(action, 'Job-5', 'reject', 'Error: ENOENT');
    port.postMessage(rejection);
    expect(delivered).toEqual([rejection]);
    expect(startFailures).toEqual([rejection]);
  });

  it('leaves a failed recognition to the job that asked for it', () => {
    const { port, delivered, startFailures } = guardedPort();
    port.postMessage(reply('recognize', 'Job-6', 'reject', 'Error attempting to read image.'));
    expect(delivered).toHaveLength(1);
    expect(startFailures).toEqual([]);
  });

  it('can fail the jobs still open, and only those', () => {
    const { port, guard, receive, delivered } = guardedPort();
    receive('load', 'Job-7');
    receive('recognize', 'Job-8');
    port.postMessage(reply('load', 'Job-7', 'resolve'));
    delivered.length = 0;

    guard.failAll('the OCR worker crashed');
    expect(delivered).toEqual([reply('recognize', 'Job-8', 'reject', 'the OCR worker crashed')]);
  });

  it('fails an open start job as a failed start', () => {
    const { guard, receive, startFailures } = guardedPort();
    receive('loadLanguage', 'Job-9');
    guard.failAll('crashed');
    expect(startFailures).toEqual([reply('loadLanguage', 'Job-9', 'reject', 'crashed')]);
  });
});
