import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test support: SANE's own `test` backend, enabled through a private configuration folder
 * (Debian ships it commented out in /etc/sane.d/dll.conf, which tests must not touch).
 */
export interface SaneTestDevice {
  /** For the driver: makes scanimage load the test backend besides the system's backends. */
  readonly env: Record<string, string>;
  /** An empty folder for the driver's temporary pages, so a test can see what was left. */
  readonly tempDirectory: string;
  /**
   * Makes test:1 disappear, as if it were unplugged. (Taking `test` out of dll.conf would not:
   * SANE loads a backend named in a device name even when dll.conf does not list it.)
   */
  unplugSecondDevice(): Promise<void>;
  dispose(): Promise<void>;
}

export interface SaneTestDeviceOptions {
  /**
   * The test backend's starting option values, as lines of its test.conf (`read-delay true`,
   * `test-picture "Grid"`): for callers that cannot pass scanimage arguments, such as the app's
   * services. Both devices (test:0 and test:1) get them.
   */
  readonly settings?: readonly string[];
}

export async function createSaneTestDevice(options: SaneTestDeviceOptions = {}): Promise<SaneTestDevice> {
  const root = await mkdtemp(join(tmpdir(), 'arkiva-sane-test-'));
  const configDirectory = join(root, 'sane.d');
  const tempDirectory = join(root, 'scans');
  await Promise.all([mkdir(configDirectory), mkdir(tempDirectory)]);
  await writeFile(join(configDirectory, 'dll.conf'), 'test\n');
  if (options.settings) {
    // Read instead of /etc/sane.d/test.conf, whose device count it keeps.
    await writeFile(join(configDirectory, 'test.conf'), ['number_of_devices 2', ...options.settings, ''].join('\n'));
  }
  return {
    // The trailing colon appends SANE's default folders, where test.conf defines test:0 and test:1.
    env: { SANE_CONFIG_DIR: `${configDirectory}:` },
    tempDirectory,
    // Read before /etc/sane.d/test.conf, which defines two devices.
    unplugSecondDevice: () => writeFile(join(configDirectory, 'test.conf'), 'number_of_devices 1\n'),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

/** Ids of running processes whose command line mentions `text` (Linux /proc). */
export async function processesMentioning(text: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const commandLine = await readFile(join('/proc', entry, 'cmdline'), 'utf8').catch(() => '');
    if (commandLine.includes(text)) pids.push(Number(entry));
  }
  return pids;
}
