import type { Discovery } from '../../scanner-drivers/scanner-driver';
import type { DeviceCapabilities } from '../../common/api/contract';
import { isScannerError } from '../../scanner-drivers/scanner-errors';
import { createDefaultScanner } from '../capture/default-scanner';
import { EXIT, UsageError, type Command } from './command';
import { parseCommandArgs } from './cli-args';

export interface DevicesCommandDeps {
  readonly scanner: () => { discover(): Promise<Discovery>; getCapabilities(deviceId: string): Promise<DeviceCapabilities> };
}

function describeSource(source: DeviceCapabilities['sources'][number]): string {
  const area =
    source.maxWidthMm !== undefined && source.maxHeightMm !== undefined ? `, up to ${source.maxWidthMm} × ${source.maxHeightMm} mm` : '';
  return `    ${source.source}: ${source.modes.join('/')}, ${source.resolutions.join(', ')} dpi${area}`;
}

export function createDevicesCommand(deps: DevicesCommandDeps): Command {
  return {
    name: 'devices',
    summary: 'List the scanners this workstation can use',

    help() {
      return [
        'Usage: arkiva devices [--capabilities] [--json]',
        '',
        'Lists every scanner found by every backend (SANE; eSCL network scanners; TWAIN/WIA on',
        'Windows), one per line: the device id to pass to `arkiva scan --device`, a tab, its name.',
        'A backend that is not installed is reported on stderr; the others are still listed.',
        '',
        'Options:',
        '  -c, --capabilities  Also ask each device what it offers: sources, modes, resolutions',
        '      --json          Print one JSON object: {"devices":[{"id","backend","name"}],"backends":[...]}',
        '                      (with --capabilities each device also has "capabilities")',
        '  -h, --help          Show this help',
        '',
        'Exit codes: 0 listed (even if no scanner was found), 1 no backend could be asked.',
        '',
      ].join('\n');
    },

    async run(args, io) {
      const { values, positionals } = parse(args);
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      const scanner = deps.scanner();
      const discovery = await scanner.discover();
      for (const backend of discovery.backends) {
        if (!backend.available) io.stderr(`arkiva devices: ${backend.backend} unavailable: ${backend.message ?? 'not installed'}\n`);
      }
      const capabilities = new Map<string, DeviceCapabilities | string>();
      if (values.capabilities) {
        for (const device of discovery.devices) {
          try {
            capabilities.set(device.id, await scanner.getCapabilities(device.id));
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            capabilities.set(device.id, message);
            io.stderr(`arkiva devices: ${device.id}: ${isScannerError(error) ? `${error.code}: ` : ''}${message}\n`);
          }
        }
      }
      if (values.json) {
        const devices = discovery.devices.map((device) => {
          const found = capabilities.get(device.id);
          return found === undefined ? device : { ...device, capabilities: typeof found === 'string' ? { error: found } : found };
        });
        io.stdout(`${JSON.stringify({ devices, backends: discovery.backends })}\n`);
      } else {
        for (const device of discovery.devices) {
          io.stdout(`${device.id}\t${device.name}\n`);
          const found = capabilities.get(device.id);
          if (found !== undefined && typeof found !== 'string') for (const source of found.sources) io.stdout(`${describeSource(source)}\n`);
        }
        if (discovery.devices.length === 0) io.stderr('arkiva devices: no scanner found\n');
      }
      return discovery.backends.some((backend) => backend.available) ? EXIT.ok : EXIT.failed;
    },
  };
}

function parse(args: string[]) {
  return parseCommandArgs(args, {
    capabilities: { type: 'boolean', short: 'c' },
    json: { type: 'boolean' },
  });
}

export const devicesCommand = createDevicesCommand({ scanner: () => createDefaultScanner() });
