import { ScannerError } from '../scanner-errors';
import type { ScanMode, ScanRequest, ScanSource } from '../scanner-driver';
import type { SaneScanOptions, ValueConstraint } from './device-options';

/*
 * SANE leaves option values to each backend: "Color", "24bit Color", "Black & White",
 * "ADF Front", "Automatic Document Feeder(left aligned,Duplex)", … These patterns cover the
 * well-known SANE values first and the common vendor spellings after them.
 */
const modePatterns: Record<ScanMode, readonly RegExp[]> = {
  color: [/^colou?r$/i, /colou?r/i],
  // Brother's "Gray[Error Diffusion]" is dithered black and white, not gray.
  gray: [/^gr[ae]y$/i, /^true gr[ae]y$/i, /^(?!.*(?:diffusion|dither|halftone)).*gr[ae]y/i],
  lineart: [/^lineart$/i, /line ?art|black ?(?:&|and) ?white|^binary$/i],
};

const isDuplex = (value: string) => /duplex/i.test(value);
const sourcePatterns: Record<ScanSource, readonly ((value: string) => boolean)[]> = {
  flatbed: [(value) => /^flatbed$/i.test(value), (value) => /flatbed|^normal$/i.test(value)],
  adf: [
    (value) => /^(adf|automatic document feeder)$/i.test(value),
    // A feeder's back side alone is not a simplex scan of the sheet.
    (value) => /adf|feeder/i.test(value) && !isDuplex(value) && !/back/i.test(value),
  ],
  duplex: [isDuplex],
};

function pick<T>(values: readonly string[], patterns: readonly T[], test: (pattern: T, value: string) => boolean) {
  for (const pattern of patterns) {
    const found = values.find((value) => test(pattern, value));
    if (found !== undefined) return found;
  }
  return undefined;
}

export function sourceArguments(source: ScanSource, options: SaneScanOptions): string[] {
  // A device without a source option is a plain flatbed.
  if (options.sources.length === 0) {
    if (source === 'flatbed') return [];
    throw new ScannerError('unsupported', { message: `This scanner has no document feeder (${source} was requested).` });
  }
  const value = pick(options.sources, sourcePatterns[source], (matches, candidate) => matches(candidate));
  if (value === undefined) {
    const wanted = { flatbed: 'a flatbed', adf: 'a document feeder', duplex: 'double-sided (duplex) scanning' }[source];
    throw new ScannerError('unsupported', {
      message: `This scanner does not offer ${wanted}.`,
      detail: `sources offered: ${options.sources.join(', ')}`,
    });
  }
  return [`--source=${value}`];
}

/**
 * Lineart on a device without a lineart mode is scanned as 1-bit gray: SANE defines a 1-bit
 * gray frame as black and white, so the clerk gets what was asked for (the SANE test device
 * is such a device). Only a device with neither is refused.
 */
export function modeArguments(mode: ScanMode, options: SaneScanOptions): string[] {
  const depthArgs = (depth: number) => (options.depths.includes(depth) ? [`--depth=${depth}`] : []);
  if (options.modes.length === 0) {
    throw new ScannerError('unsupported', { message: 'This scanner does not let Arkiva choose colour, gray or black and white.' });
  }
  const value = pick(options.modes, modePatterns[mode], (pattern, candidate) => pattern.test(candidate));
  if (value !== undefined) return [`--mode=${value}`, ...(mode === 'lineart' ? [] : depthArgs(8))];
  if (mode === 'lineart') {
    const gray = pick(options.modes, modePatterns.gray, (pattern, candidate) => pattern.test(candidate));
    if (gray !== undefined && options.depths.includes(1)) return [`--mode=${gray}`, '--depth=1'];
  }
  const wanted = { color: 'colour', gray: 'gray', lineart: 'black and white (lineart)' }[mode];
  throw new ScannerError('unsupported', {
    message: `This scanner cannot scan in ${wanted}.`,
    detail: `modes offered: ${options.modes.join(', ')}; depths: ${options.depths.join(', ')}`,
  });
}

export function offersValue(constraint: ValueConstraint, value: number): boolean {
  switch (constraint.kind) {
    case 'range':
      return (
        value >= constraint.min &&
        value <= constraint.max &&
        (constraint.step === undefined || Number.isInteger((value - constraint.min) / constraint.step))
      );
    case 'numbers':
      return constraint.values.includes(value);
    case 'strings':
      return false;
    case 'free':
      return true;
  }
}

function describe(constraint: ValueConstraint): string {
  switch (constraint.kind) {
    case 'range':
      return `${constraint.min} to ${constraint.max} dpi`;
    case 'numbers':
      return `${constraint.values.join(', ')} dpi`;
    case 'strings':
    case 'free':
      return 'no resolution Arkiva can set';
  }
}

// scanimage rounds a resolution it cannot set to the nearest it can, and the page would then
// be recorded with a resolution it does not have; so refuse instead.
function resolutionArguments(resolution: number, options: SaneScanOptions): string[] {
  if (!Number.isFinite(resolution) || resolution <= 0) {
    throw new ScannerError('invalid', { message: `${resolution} dpi is not a resolution.` });
  }
  if (options.resolution === undefined) {
    throw new ScannerError('unsupported', { message: 'This scanner does not let Arkiva choose the resolution.' });
  }
  if (!offersValue(options.resolution, resolution)) {
    throw new ScannerError('invalid', {
      message: `This scanner cannot scan at ${resolution} dpi; it offers ${describe(options.resolution)}.`,
    });
  }
  return [`--resolution=${resolution}`];
}

/** scanimage device options for a request, in the order they must be set (source first: it can change what the others offer). */
export function scanSettingArguments(request: ScanRequest, options: SaneScanOptions): string[] {
  return [
    ...sourceArguments(request.source, options),
    ...modeArguments(request.mode, options),
    ...resolutionArguments(request.resolution, options),
  ];
}
