/** The messages tesseract.js and its worker script exchange: one job in, progress and one settlement out. */
interface JobMessage {
  workerId?: unknown;
  jobId?: unknown;
  action?: unknown;
  status?: unknown;
}

/** Jobs that bring a worker up; if one of them fails, the host is never told the worker failed. */
const START_ACTIONS = new Set(['load', 'loadLanguage', 'initialize']);

export interface JobPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

export interface JobGuard {
  /** Settles every job still open with a rejection, e.g. because the thread is about to die. */
  failAll(reason: string): void;
}

/**
 * Repairs the ways tesseract.js 7 takes its host down or leaves it waiting, by watching the
 * jobs that go in and the replies that come out of its worker script:
 *
 * - When a model is corrupt, `initialize` rejects and then also resolves. The host's second
 *   lookup of the settled job throws inside a message listener and crashes the whole process.
 *   Only the first settlement of a job is passed on.
 * - When loading or initialising fails, `createWorker` never settles: the host cannot tell a
 *   failed start from a slow one, and has no handle to end the thread. `onStartFailure` runs
 *   once the rejection is on its way, so the thread can end itself.
 * - A thread that dies answers nothing; `failAll` answers its open jobs first.
 */
export function guardJobs(port: JobPort, onStartFailure: (reply: JobMessage) => void): JobGuard {
  const post = port.postMessage.bind(port);
  const open = new Map<string, JobMessage>();
  // Only rejected jobs are remembered: they are rare, and they are the ones that settle twice.
  const rejected = new Set<string>();

  port.on('message', (message) => {
    if (isJobMessage(message)) open.set(keyOf(message), message);
  });

  port.postMessage = (message: unknown) => {
    if (!isJobMessage(message) || (message.status !== 'resolve' && message.status !== 'reject')) {
      post(message);
      return;
    }
    const key = keyOf(message);
    if (rejected.has(key)) return;
    open.delete(key);
    post(message);
    if (message.status === 'reject') {
      rejected.add(key);
      if (typeof message.action === 'string' && START_ACTIONS.has(message.action)) onStartFailure(message);
    }
  };

  return {
    failAll(reason) {
      for (const { workerId, jobId, action } of [...open.values()]) {
        port.postMessage({ workerId, jobId, action, status: 'reject', data: reason });
      }
    },
  };
}

/** The key tesseract.js itself files a job under. */
function keyOf(message: JobMessage): string {
  return `${String(message.action)}-${String(message.jobId)}`;
}

function isJobMessage(message: unknown): message is JobMessage {
  return typeof message === 'object' && message !== null && 'jobId' in message && 'action' in message;
}
