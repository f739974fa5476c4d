import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test support: SANE's test device served by `saned` on 127.0.0.1 and reached through SANE's
 * `net` backend, as a network scanner shared by another machine would be.
 *
 * The port is SANE's standard 6566 (unprivileged, so no root needed): the net backend of
 * sane-backends 1.1/1.2 takes its port from /etc/services' `sane-port` entry only, and a
 * `host:port` line in net.conf is looked up as a host name and fails. Tests must not touch
 * /etc/services, so the server has to listen where the client looks.
 */
export const SANED_PORT = 6566;

export interface SanedLoopback {
  /** For a SaneDriver: only the net backend, pointed at 127.0.0.1. */
  readonly clientEnv: Record<string, string>;
  readonly tempDirectory: string;
  /**
   * Kills saned and the process it forked for each client at once, as when the machine sharing
   * the scanner loses power or its network: connections drop mid-transfer, nobody says goodbye.
   */
  killServer(): Promise<void>;
  dispose(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

export async function startSanedLoopback(): Promise<SanedLoopback> {
  // Another test run on this machine may hold the port for a while.
  if (!(await waitFor(async () => !(await portOpen(SANED_PORT)), 20_000))) {
    throw new Error(`port ${SANED_PORT} on 127.0.0.1 is in use by another program; saned cannot listen there`);
  }
  const root = await mkdtemp(join(tmpdir(), 'arkiva-saned-'));
  const server = join(root, 'server');
  const client = join(root, 'client');
  const tempDirectory = join(root, 'scans');
  await Promise.all([mkdir(server), mkdir(client), mkdir(tempDirectory)]);
  await writeFile(join(server, 'dll.conf'), 'test\n');
  // saned serves only the hosts listed here.
  await writeFile(join(server, 'saned.conf'), '127.0.0.1\n');
  await writeFile(join(client, 'dll.conf'), 'net\n');
  await writeFile(join(client, 'net.conf'), 'connect_timeout = 5\n127.0.0.1\n');
  const saned: ChildProcess = spawn('saned', ['--listen', '--stderr', `--bind=127.0.0.1`, `--port=${SANED_PORT}`, '--debug=1'], {
    // The trailing colon adds SANE's default folders, where test.conf defines test:0 and test:1.
    env: { ...process.env, SANE_CONFIG_DIR: `${server}:` },
    stdio: ['ignore', 'ignore', 'pipe'],
    // A process group of its own, so that saned and the children it forks per client can be killed together.
    detached: true,
  });
  let log = '';
  saned.stderr?.setEncoding('utf8');
  saned.stderr?.on('data', (chunk: string) => {
    log = (log + chunk).slice(-8192);
  });
  const exited = new Promise<void>((resolve) => saned.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    if (saned.pid === undefined || saned.exitCode !== null || saned.signalCode !== null) return;
    try {
      // The negative pid is saned's own process group (it was started detached).
      process.kill(-saned.pid, signal);
    } catch {
      // Already gone.
    }
  };
  if (!(await waitFor(() => portOpen(SANED_PORT), 10_000))) {
    signalGroup('SIGKILL');
    await rm(root, { recursive: true, force: true });
    throw new Error(`saned did not start listening on 127.0.0.1:${SANED_PORT}: ${log}`);
  }
  return {
    // No trailing colon: the client sees the test device only through the network.
    clientEnv: { SANE_CONFIG_DIR: client },
    tempDirectory,
    async killServer() {
      signalGroup('SIGKILL');
      await exited;
    },
    async dispose() {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
      await rm(root, { recursive: true, force: true });
    },
  };
}
