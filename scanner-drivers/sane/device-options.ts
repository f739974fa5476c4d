/**
 * Reads `scanimage --all-options` output: the options a SANE device offers and the values
 * each accepts. Only what choosing scan settings needs is interpreted; the capabilities
 * reader of the capture issue builds on `parseOptionListing`.
 */

export type ValueConstraint =
  | { readonly kind: 'range'; readonly min: number; readonly max: number; readonly step: number | undefined }
  | { readonly kind: 'numbers'; readonly values: readonly number[] }
  | { readonly kind: 'strings'; readonly values: readonly string[] }
  | { readonly kind: 'free'; readonly text: string };

export interface SaneOption {
  /** As given on scanimage's command line, without dashes: `mode`, `resolution`, `l`. */
  readonly name: string;
  readonly constraint: ValueConstraint;
  /** The bracketed notes after the constraint: the current value, `inactive`, `advanced`, … */
  readonly notes: readonly string[];
  readonly active: boolean;
}

// scanimage prints options indented by exactly four spaces and their help text by eight.
const OPTION_LINE = /^ {4}(--?)([A-Za-z0-9][\w-]*)(.*)$/;
const TRAILING_NOTE = /\s*\[([^[\]]*)\]\s*$/;
const NUMBER = String.raw`-?\d+(?:\.\d+)?`;
const RANGE = new RegExp(String.raw`^(${NUMBER})\.\.(${NUMBER})[a-z%]*(?: \(in steps of (${NUMBER})\))?$`, 'i');
const NUMBER_WITH_UNIT = new RegExp(String.raw`^(${NUMBER})[a-z%]*$`, 'i');

function parseConstraint(text: string): ValueConstraint {
  const bare = text.trim().replace(/^auto\|/, '').replace(/,\.\.\.$/, '');
  const range = RANGE.exec(bare.replace(/,\.\.\.(?= \(in steps)/, ''));
  if (range) {
    return {
      kind: 'range',
      min: Number(range[1]),
      max: Number(range[2]),
      step: range[3] === undefined || Number(range[3]) === 0 ? undefined : Number(range[3]),
    };
  }
  if (bare === '' || /^<\w+>$/.test(bare)) return { kind: 'free', text: bare };
  const parts = bare.split('|');
  const numbers = parts.map((part) => NUMBER_WITH_UNIT.exec(part.trim())?.[1]);
  if (numbers.every((value) => value !== undefined)) return { kind: 'numbers', values: numbers.map(Number) };
  return { kind: 'strings', values: parts };
}

export function parseOptionListing(listing: string): Map<string, SaneOption> {
  const options = new Map<string, SaneOption>();
  for (const line of listing.split(/\r?\n/)) {
    const match = OPTION_LINE.exec(line);
    if (!match) continue;
    const name = match[2] ?? '';
    let rest = match[3] ?? '';
    const isBool = rest.startsWith('[=(');
    if (isBool) rest = rest.slice(rest.indexOf(')]') + 2);
    const notes: string[] = [];
    for (let note = TRAILING_NOTE.exec(rest); note; note = TRAILING_NOTE.exec(rest)) {
      notes.unshift(note[1] ?? '');
      rest = rest.slice(0, note.index);
    }
    options.set(name, {
      name,
      constraint: isBool ? { kind: 'strings', values: ['yes', 'no'] } : parseConstraint(rest),
      notes,
      active: !notes.includes('inactive'),
    });
  }
  return options;
}

/** What scan settings are chosen from. Empty lists mean the device has no such (active) option. */
export interface SaneScanOptions {
  readonly modes: readonly string[];
  readonly sources: readonly string[];
  readonly depths: readonly number[];
  readonly resolution: ValueConstraint | undefined;
}

function activeOption(options: Map<string, SaneOption>, name: string): SaneOption | undefined {
  const option = options.get(name);
  return option?.active ? option : undefined;
}

function stringValues(option: SaneOption | undefined): string[] {
  return option?.constraint.kind === 'strings' ? [...option.constraint.values] : [];
}

export function readScanOptions(listing: string): SaneScanOptions {
  const options = parseOptionListing(listing);
  const depth = activeOption(options, 'depth');
  return {
    modes: stringValues(activeOption(options, 'mode')),
    sources: stringValues(activeOption(options, 'source')),
    depths: depth?.constraint.kind === 'numbers' ? [...depth.constraint.values] : [],
    resolution: activeOption(options, 'resolution')?.constraint,
  };
}
