/**
 * The eSCL (AirScan, Mopria scan) documents Arkiva reads and writes: ScannerCapabilities,
 * ScannerStatus and the ScanSettings a job is started with. Namespaces vary between vendors
 * (`scan:`, `pwg:`, default namespaces, HP's extra ones), so prefixes are dropped and elements
 * are found by local name.
 */
import { XMLParser } from 'fast-xml-parser';
import type { DeviceCapabilities } from '../../common/api/contract';
import { ScannerError } from '../scanner-errors';
import type { ScanMode, ScanSource } from '../scanner-driver';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  // Elements that repeat on some devices and appear once on others.
  isArray: (name) =>
    ['ColorMode', 'DocumentFormat', 'DocumentFormatExt', 'DiscreteResolution', 'JobInfo', 'JobStateReason', 'AdfOption', 'SettingProfile'].includes(name),
});

function parseXml(xml: string, root: string): Node {
  let parsed: unknown;
  try {
    parsed = parser.parse(xml, true);
  } catch (error) {
    throw new ScannerError('io-error', {
      message: 'The network scanner sent an answer Arkiva cannot read.',
      detail: `${root}: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const node = isNode(parsed) ? parsed[root] : undefined;
  if (!isNode(node)) {
    throw new ScannerError('io-error', { message: 'The network scanner sent an answer Arkiva cannot read.', detail: `no ${root} element` });
  }
  return node;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(node: Node | undefined, name: string): Node | undefined {
  const value = node?.[name];
  return isNode(value) ? value : undefined;
}

function text(node: Node | undefined, name: string): string | undefined {
  const raw = node?.[name];
  // Elements listed as repeating arrive as arrays even when they appear once.
  const value: unknown = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function list(node: Node | undefined, name: string): unknown[] {
  const value = node?.[name];
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function numberOf(node: Node | undefined, name: string): number | undefined {
  const value = text(node, name);
  const parsed = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** eSCL colour modes, by what Arkiva asks for; the first the device offers is used. */
export const ESCL_COLOR_MODES: Record<ScanMode, readonly string[]> = {
  color: ['RGB24', 'RGB48'],
  gray: ['Grayscale8', 'Grayscale16'],
  lineart: ['BlackAndWhite1'],
};
const BIT_DEPTHS: Record<string, number> = { RGB24: 8, RGB48: 16, Grayscale8: 8, Grayscale16: 16, BlackAndWhite1: 1 };

export interface EsclInputCaps {
  readonly colorModes: readonly string[];
  readonly documentFormats: readonly string[];
  /** dpi, where X and Y resolutions are equal. */
  readonly resolutions: readonly number[];
  /** In 1/300 inch, eSCL's unit. */
  readonly maxWidth: number | undefined;
  readonly maxHeight: number | undefined;
}

export interface EsclCapabilities {
  readonly makeAndModel: string | undefined;
  readonly uuid: string | undefined;
  readonly version: string | undefined;
  readonly inputs: Partial<Record<ScanSource, EsclInputCaps>>;
}

function resolutionsOf(profile: Node | undefined): number[] {
  const supported = child(profile, 'SupportedResolutions');
  const values = new Set<number>();
  for (const entry of list(child(supported, 'DiscreteResolutions'), 'DiscreteResolution')) {
    if (!isNode(entry)) continue;
    const x = numberOf(entry, 'XResolution');
    if (x !== undefined && x === numberOf(entry, 'YResolution') && x > 0) values.add(x);
  }
  const range = child(supported, 'ResolutionRange');
  const xRange = child(range, 'XResolutionRange');
  const min = numberOf(xRange, 'Min');
  const max = numberOf(xRange, 'Max');
  if (min !== undefined && max !== undefined) {
    for (const standard of [75, 100, 150, 200, 240, 300, 400, 600, 1200]) if (standard >= min && standard <= max) values.add(standard);
  }
  return [...values].sort((a, b) => a - b);
}

function inputCaps(caps: Node | undefined): EsclInputCaps | undefined {
  if (!caps) return undefined;
  const profiles = list(child(caps, 'SettingProfiles'), 'SettingProfile').filter(isNode);
  const colorModes = new Set<string>();
  const documentFormats = new Set<string>();
  const resolutions = new Set<number>();
  for (const profile of profiles) {
    for (const mode of list(child(profile, 'ColorModes'), 'ColorMode')) if (typeof mode === 'string') colorModes.add(mode);
    const formats = child(profile, 'DocumentFormats');
    for (const format of [...list(formats, 'DocumentFormat'), ...list(formats, 'DocumentFormatExt')]) {
      if (typeof format === 'string') documentFormats.add(format);
    }
    for (const resolution of resolutionsOf(profile)) resolutions.add(resolution);
  }
  return {
    colorModes: [...colorModes],
    documentFormats: [...documentFormats],
    resolutions: [...resolutions].sort((a, b) => a - b),
    maxWidth: numberOf(caps, 'MaxWidth'),
    maxHeight: numberOf(caps, 'MaxHeight'),
  };
}

export function parseCapabilities(xml: string): EsclCapabilities {
  const root = parseXml(xml, 'ScannerCapabilities');
  const adf = child(root, 'Adf');
  const simplex = inputCaps(child(adf, 'AdfSimplexInputCaps'));
  const adfOptions = list(child(adf, 'AdfOptions'), 'AdfOption');
  // Some devices describe duplex with its own caps, others only by the AdfOption and the simplex caps.
  const duplex = inputCaps(child(adf, 'AdfDuplexInputCaps')) ?? (adfOptions.includes('Duplex') ? simplex : undefined);
  const flatbed = inputCaps(child(child(root, 'Platen'), 'PlatenInputCaps'));
  return {
    makeAndModel: text(root, 'MakeAndModel'),
    uuid: text(root, 'UUID'),
    version: text(root, 'Version'),
    inputs: {
      ...(flatbed ? { flatbed } : {}),
      ...(simplex ? { adf: simplex } : {}),
      ...(duplex ? { duplex } : {}),
    },
  };
}

const MM_PER_ESCL_UNIT = 25.4 / 300;

export function toDeviceCapabilities(deviceId: string, capabilities: EsclCapabilities): DeviceCapabilities {
  const sources: DeviceCapabilities['sources'] = [];
  for (const source of ['flatbed', 'adf', 'duplex'] as const) {
    const caps = capabilities.inputs[source];
    if (!caps) continue;
    const modes = (['color', 'gray', 'lineart'] as const).filter((mode) => ESCL_COLOR_MODES[mode].some((name) => caps.colorModes.includes(name)));
    const depths = [...new Set(caps.colorModes.map((mode) => BIT_DEPTHS[mode]).filter((depth) => depth !== undefined))].sort((a, b) => a - b);
    sources.push({
      source,
      resolutions: [...caps.resolutions],
      modes,
      bitDepths: depths,
      ...(caps.maxWidth === undefined ? {} : { maxWidthMm: Math.round(caps.maxWidth * MM_PER_ESCL_UNIT * 10) / 10 }),
      ...(caps.maxHeight === undefined ? {} : { maxHeightMm: Math.round(caps.maxHeight * MM_PER_ESCL_UNIT * 10) / 10 }),
    });
  }
  return { deviceId, sources };
}

export interface EsclJobInfo {
  readonly uri: string;
  readonly state: string | undefined;
  readonly reasons: readonly string[];
  readonly imagesCompleted: number | undefined;
}

export interface EsclStatus {
  /** Idle, Processing, Testing, Stopped, Down. */
  readonly state: string | undefined;
  /** ScannerAdfLoaded, ScannerAdfEmpty, ScannerAdfJam, ScannerAdfHatchOpen, ... */
  readonly adfState: string | undefined;
  readonly jobs: readonly EsclJobInfo[];
}

export function parseStatus(xml: string): EsclStatus {
  const root = parseXml(xml, 'ScannerStatus');
  const jobs = list(child(root, 'Jobs'), 'JobInfo')
    .filter(isNode)
    .map((job) => ({
      uri: text(job, 'JobUri') ?? '',
      state: text(job, 'JobState'),
      reasons: list(child(job, 'JobStateReasons'), 'JobStateReason').filter((reason): reason is string => typeof reason === 'string'),
      imagesCompleted: numberOf(job, 'ImagesCompleted'),
    }));
  return { state: text(root, 'State'), adfState: text(root, 'AdfState'), jobs };
}

/**
 * Whether another job holds the scanner. HP devices say `Processing` for a while after a job
 * completed (see the captured "completed" status), so the jobs decide when they are listed.
 */
export function isBusy(status: EsclStatus): boolean {
  if (status.state === undefined || status.state === 'Idle') return false;
  if (status.state !== 'Processing') return true;
  return status.jobs.length === 0 || status.jobs.some((job) => job.state === 'Processing' || job.state === 'Pending');
}

/**
 * The error a scanner status stands for, if any. eSCL reports trouble in the ADF state and in
 * the scanner state; the mapping follows the states Mopria's eSCL specification lists.
 */
export function statusError(status: EsclStatus, source: ScanSource): ScannerError | undefined {
  const detail = `State ${status.state ?? '?'}, AdfState ${status.adfState ?? '?'}`;
  if (source !== 'flatbed') {
    switch (status.adfState) {
      case 'ScannerAdfJam':
      case 'ScannerAdfMispick':
      case 'ScannerAdfMultipickDetected':
        return new ScannerError('jammed', { detail });
      case 'ScannerAdfHatchOpen':
      case 'ScannerAdfDoorOpen':
        return new ScannerError('cover-open', { detail });
      case 'ScannerAdfEmpty':
        return new ScannerError('feeder-empty', { detail });
      case 'ScannerAdfInputTrayFailed':
      case 'ScannerAdfInputTrayOverloaded':
        return new ScannerError('io-error', { message: 'The document feeder reports a fault. Check the input tray, then scan again.', detail });
      default:
        break;
    }
  }
  if (status.state === 'Down' || status.state === 'Stopped') return new ScannerError('io-error', { detail });
  return undefined;
}

/** What a device says about the last page of a job it delivered (`GET <job>/ScanImageInfo`). */
export interface EsclScanImageInfo {
  readonly jobUri: string | undefined;
  readonly width: number | undefined;
  readonly height: number | undefined;
  readonly bytesPerLine: number | undefined;
  readonly blankPageDetected: boolean | undefined;
  readonly colorDetected: boolean | undefined;
}

function flag(node: Node, name: string): boolean | undefined {
  const value = text(node, name);
  return value === 'true' ? true : value === 'false' ? false : undefined;
}

export function parseScanImageInfo(xml: string): EsclScanImageInfo {
  const root = parseXml(xml, 'ScanImageInfo');
  return {
    jobUri: text(root, 'JobUri'),
    width: numberOf(root, 'ActualWidth'),
    height: numberOf(root, 'ActualHeight'),
    bytesPerLine: numberOf(root, 'ActualBytesPerLine'),
    blankPageDetected: flag(root, 'BlankPageDetected'),
    colorDetected: flag(root, 'ColorDetected'),
  };
}

function escapeXml(value: string): string {
  return value.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

export interface EsclScanSettings {
  readonly source: ScanSource;
  readonly resolution: number;
  readonly colorMode: string;
  readonly documentFormat: string;
  /** In 1/300 inch: the whole area the input offers. */
  readonly width: number;
  readonly height: number;
  readonly version: string;
}

/** The body of `POST /eSCL/ScanJobs`, in the form the fixtures' clients send. */
export function scanSettingsXml(settings: EsclScanSettings): string {
  const inputSource = settings.source === 'flatbed' ? 'Platen' : 'Feeder';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<scan:ScanSettings xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm">',
    `  <pwg:Version>${escapeXml(settings.version)}</pwg:Version>`,
    '  <scan:Intent>Document</scan:Intent>',
    '  <pwg:ScanRegions>',
    '    <pwg:ScanRegion>',
    `      <pwg:Height>${Math.round(settings.height)}</pwg:Height>`,
    `      <pwg:Width>${Math.round(settings.width)}</pwg:Width>`,
    '      <pwg:XOffset>0</pwg:XOffset>',
    '      <pwg:YOffset>0</pwg:YOffset>',
    '      <pwg:ContentRegionUnits>escl:ThreeHundredthsOfInches</pwg:ContentRegionUnits>',
    '    </pwg:ScanRegion>',
    '  </pwg:ScanRegions>',
    `  <pwg:InputSource>${inputSource}</pwg:InputSource>`,
    `  <pwg:DocumentFormat>${escapeXml(settings.documentFormat)}</pwg:DocumentFormat>`,
    `  <scan:DocumentFormatExt>${escapeXml(settings.documentFormat)}</scan:DocumentFormatExt>`,
    `  <scan:XResolution>${settings.resolution}</scan:XResolution>`,
    `  <scan:YResolution>${settings.resolution}</scan:YResolution>`,
    `  <scan:ColorMode>${escapeXml(settings.colorMode)}</scan:ColorMode>`,
    ...(settings.source === 'flatbed' ? [] : [`  <scan:Duplex>${settings.source === 'duplex'}</scan:Duplex>`]),
    '</scan:ScanSettings>',
    '',
  ].join('\n');
}

/** Reads a ScanSettings body back (the test server uses it; it also checks what we send is well-formed). */
export function parseScanSettings(xml: string): { inputSource: string | undefined; resolution: number | undefined; colorMode: string | undefined; duplex: boolean; format: string | undefined } {
  const root = parseXml(xml, 'ScanSettings');
  return {
    inputSource: text(root, 'InputSource'),
    resolution: numberOf(root, 'XResolution'),
    colorMode: text(root, 'ColorMode'),
    duplex: text(root, 'Duplex') === 'true',
    format: text(root, 'DocumentFormatExt') ?? text(root, 'DocumentFormat'),
  };
}
