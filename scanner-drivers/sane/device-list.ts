import type { Device } from '../../common/api/contract';
import { toDeviceId } from './sane-device-id';

// ASCII unit and record separators: no vendor or model string contains them, unlike the
// spaces, colons and quotes that `scanimage -L` output would force us to guess around.
const FIELD = '\x1f';
const RECORD = '\x1e';

/** The argument for `scanimage --formatted-device-list` whose output `parseDeviceList` reads. */
export const deviceListFormat = ['%d', '%v', '%m', '%t'].join(FIELD) + RECORD;

export interface SaneDeviceEntry {
  readonly saneName: string;
  readonly vendor: string;
  readonly model: string;
  readonly type: string;
}

export function parseDeviceList(output: string): SaneDeviceEntry[] {
  const entries: SaneDeviceEntry[] = [];
  for (const record of output.split(RECORD)) {
    const [saneName = '', vendor = '', model = '', type = ''] = record.trim().split(FIELD);
    if (saneName === '') continue;
    entries.push({ saneName, vendor: vendor.trim(), model: model.trim(), type: type.trim() });
  }
  return entries;
}

/** Clerks pick by name; identical models side by side are told apart by their SANE name. */
export function toDevices(entries: readonly SaneDeviceEntry[]): Device[] {
  const label = (entry: SaneDeviceEntry) => [entry.vendor, entry.model].filter(Boolean).join(' ') || entry.saneName;
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(label(entry), (counts.get(label(entry)) ?? 0) + 1);
  return entries.map((entry) => {
    const name = label(entry);
    return {
      id: toDeviceId(entry.saneName),
      backend: 'sane',
      name: (counts.get(name) ?? 0) > 1 ? `${name} (${entry.saneName})` : name,
    };
  });
}
