import type { DeviceCapabilities } from '../../common/api/contract';
import { isScannerError } from '../scanner-errors';
import { STANDARD_RESOLUTIONS } from '../scanner-driver';
import type { ScanMode, ScanSource } from '../scanner-driver';
import { parseOptionListing, readScanOptions } from './device-options';
import type { SaneScanOptions, ValueConstraint } from './device-options';
import { modeArguments, offersValue, sourceArguments } from './scan-settings';

const SOURCES: readonly ScanSource[] = ['flatbed', 'adf', 'duplex'];
const MODES: readonly ScanMode[] = ['color', 'gray', 'lineart'];

/** Runs `scanimage --all-options` for the device, with these option arguments set first. */
export type OptionListing = (optionArguments: readonly string[]) => Promise<string>;

/** Undefined when the device refuses the setting: capabilities are exactly what a scan would accept. */
function accepted<T>(choose: () => T): T | undefined {
  try {
    return choose();
  } catch (error) {
    if (isScannerError(error, 'unsupported') || isScannerError(error, 'invalid')) return undefined;
    throw error;
  }
}

function resolutionsOffered(constraint: ValueConstraint | undefined): number[] {
  if (constraint === undefined) return [];
  if (constraint.kind === 'numbers') return [...constraint.values].filter((value) => Number.isInteger(value) && value > 0).sort((a, b) => a - b);
  return STANDARD_RESOLUTIONS.filter((value) => offersValue(constraint, value));
}

function largest(constraint: ValueConstraint | undefined): number | undefined {
  if (constraint?.kind === 'range' && constraint.max > 0) return constraint.max;
  if (constraint?.kind === 'numbers' && constraint.values.length > 0) return Math.max(...constraint.values);
  return undefined;
}

/**
 * Reads what each source of a SANE device offers. Sources come first because a backend may
 * offer other modes and resolutions on its feeder than on its glass, so each source's options
 * are listed with that source selected.
 */
export async function readSaneCapabilities(deviceId: string, listOptions: OptionListing): Promise<DeviceCapabilities> {
  const baseListing = await listOptions([]);
  const base: SaneScanOptions = readScanOptions(baseListing);
  const sources: DeviceCapabilities['sources'] = [];
  for (const source of SOURCES) {
    const sourceArgs = accepted(() => sourceArguments(source, base));
    if (sourceArgs === undefined) continue;
    const listing = sourceArgs.length === 0 ? baseListing : await listOptions(sourceArgs);
    const options = readScanOptions(listing);
    const area = parseOptionListing(listing);
    const maxWidthMm = largest(area.get('x')?.constraint);
    const maxHeightMm = largest(area.get('y')?.constraint);
    sources.push({
      source,
      resolutions: resolutionsOffered(options.resolution),
      modes: MODES.filter((mode) => accepted(() => modeArguments(mode, options)) !== undefined),
      bitDepths: [...options.depths],
      ...(maxWidthMm === undefined ? {} : { maxWidthMm }),
      ...(maxHeightMm === undefined ? {} : { maxHeightMm }),
    });
  }
  return { deviceId, sources };
}
