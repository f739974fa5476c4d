/**
 * Finding eSCL scanners by DNS-SD over multicast DNS (RFC 6762/6763): a PTR query for
 * `_uscan._tcp.local` (HTTP) and `_uscans._tcp.local` (HTTPS) names each scanner's service
 * instance; its SRV record gives host and port, its TXT record the eSCL path (`rs`), the model
 * (`ty`) and a UUID; A/AAAA records give the host's addresses. Resolving is a pure function of
 * the records heard, so it is tested on records rather than on a network.
 */
import makeMdns from 'multicast-dns';
import type { Answer } from 'dns-packet';

export const ESCL_SERVICE_TYPES = ['_uscan._tcp.local', '_uscans._tcp.local'] as const;

export interface EsclService {
  /** Base URL of the eSCL resources, e.g. `http://192.168.1.20:8080/eSCL`. */
  readonly baseUrl: string;
  readonly name: string;
  readonly uuid: string | undefined;
  readonly secure: boolean;
}

/** The parts of a DNS resource record that resolving needs (dns-packet's `Answer` has them). */
export type MdnsRecord = Pick<Answer, 'name' | 'type'> & { readonly data?: unknown };

function txtPairs(data: unknown): Map<string, string> {
  const pairs = new Map<string, string>();
  const entries = Array.isArray(data) ? data : [data];
  for (const entry of entries) {
    const textValue = Buffer.isBuffer(entry) ? entry.toString('utf8') : typeof entry === 'string' ? entry : undefined;
    if (textValue === undefined) continue;
    const at = textValue.indexOf('=');
    if (at > 0) pairs.set(textValue.slice(0, at).toLowerCase(), textValue.slice(at + 1));
  }
  return pairs;
}

function srvOf(data: unknown): { target: string; port: number } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { target, port } = data as { target?: unknown; port?: unknown };
  return typeof target === 'string' && typeof port === 'number' ? { target, port } : undefined;
}

const sameName = (a: string, b: string) => a.replace(/\.$/, '').toLowerCase() === b.replace(/\.$/, '').toLowerCase();

/** The instance label of a service name, unescaped: `HP\ Smart\ Tank._uscan._tcp.local` → `HP Smart Tank`. */
function instanceLabel(instance: string, type: string): string {
  const label = instance.slice(0, Math.max(0, instance.length - type.length - 1));
  return label.replace(/\\(\d{3})/g, (_match, code: string) => String.fromCharCode(Number(code))).replace(/\\(.)/g, '$1');
}

/**
 * The scanners the records describe. A scanner that offers both HTTP and HTTPS is listed once,
 * over HTTPS; an IPv4 address is preferred to IPv6 (link-local v6 needs a zone id in URLs).
 */
export function resolveEsclServices(records: readonly MdnsRecord[]): EsclService[] {
  const found = new Map<string, EsclService>();
  for (const type of ESCL_SERVICE_TYPES) {
    const secure = type === '_uscans._tcp.local';
    const instances = records.filter((record) => record.type === 'PTR' && sameName(record.name, type)).map((record) => String(record.data));
    for (const instance of new Set(instances)) {
      const srv = srvOf(records.find((record) => record.type === 'SRV' && sameName(record.name, instance))?.data);
      if (!srv) continue;
      const txt = txtPairs(records.find((record) => record.type === 'TXT' && sameName(record.name, instance))?.data);
      const v4 = records.find((record) => record.type === 'A' && sameName(record.name, srv.target))?.data;
      const v6 = records.find((record) => record.type === 'AAAA' && sameName(record.name, srv.target))?.data;
      const host = typeof v4 === 'string' ? v4 : typeof v6 === 'string' && !v6.toLowerCase().startsWith('fe80') ? `[${v6}]` : undefined;
      if (host === undefined) continue;
      const path = (txt.get('rs') ?? 'eSCL').replace(/^\/+|\/+$/g, '');
      const baseUrl = `${secure ? 'https' : 'http'}://${host}:${srv.port}/${path}`;
      const uuid = txt.get('uuid')?.toLowerCase();
      const service: EsclService = { baseUrl, name: txt.get('ty') ?? instanceLabel(instance, type), uuid, secure };
      const key = uuid ?? instanceLabel(instance, type).toLowerCase();
      const known = found.get(key);
      if (!known || (secure && !known.secure)) found.set(key, service);
    }
  }
  return [...found.values()];
}

/** Something that can ask the local network and report what it hears (multicast-dns, or a test's stand-in). */
export interface MdnsBrowser {
  browse(types: readonly string[], durationMs: number): Promise<MdnsRecord[]>;
}

/** The part of a `multicast-dns` instance browsing uses (tests pass a stand-in). */
export type MdnsSocket = Pick<ReturnType<typeof makeMdns>, 'on' | 'query' | 'destroy'>;

/**
 * Browses with the `multicast-dns` library (RFC 6762 framing by dns-packet; a well-kept
 * dependency of webtorrent and others): the PTR query, follow-up queries for whatever the
 * devices did not volunteer, answers collected for `durationMs`.
 */
export function createMulticastDnsBrowser(open: () => MdnsSocket = () => makeMdns()): MdnsBrowser {
  return { browse: (types, durationMs) => browseWith(open, types, durationMs) };
}

export const multicastDnsBrowser: MdnsBrowser = createMulticastDnsBrowser();

function browseWith(open: () => MdnsSocket, types: readonly string[], durationMs: number): Promise<MdnsRecord[]> {
  return new Promise((resolve, reject) => {
    const records: MdnsRecord[] = [];
    let mdns: MdnsSocket;
    try {
      mdns = open();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const asked = new Set<string>();
    // Devices often answer the PTR query alone; SRV, TXT and addresses are then asked for by name.
    const askOnce = (name: string, type: 'SRV' | 'TXT' | 'A' | 'AAAA') => {
      if (asked.has(`${type} ${name}`)) return;
      asked.add(`${type} ${name}`);
      mdns.query([{ name, type }]);
    };
    mdns.on('response', (response) => {
      const heard = [...(response.answers ?? []), ...(response.additionals ?? [])];
      records.push(...heard);
      for (const record of heard) {
        if (record.type === 'PTR' && types.some((type) => record.name.toLowerCase() === type) && typeof record.data === 'string') {
          if (!records.some((known) => known.type === 'SRV' && known.name === record.data)) askOnce(record.data, 'SRV');
          if (!records.some((known) => known.type === 'TXT' && known.name === record.data)) askOnce(record.data, 'TXT');
        }
        if (record.type === 'SRV' && !records.some((known) => known.type === 'A' && known.name === record.data.target)) {
          askOnce(record.data.target, 'A');
          askOnce(record.data.target, 'AAAA');
        }
      }
    });
    mdns.on('error', (error: Error) => {
      mdns.destroy();
      reject(error);
    });
    mdns.query(types.map((name) => ({ name, type: 'PTR' as const })));
    setTimeout(() => {
      mdns.destroy();
      resolve(records);
    }, durationMs);
  });
}
