import { describe, expect, it } from 'vitest';
import { EsclDriver } from './escl-driver';
import { createMulticastDnsBrowser, resolveEsclServices } from './escl-discovery';
import type { MdnsBrowser, MdnsRecord, MdnsSocket } from './escl-discovery';

/** What an HP ScanJet answers to a `_uscan._tcp` / `_uscans._tcp` query (names as such devices announce them). */
function announcement(options: { secure?: boolean; ip?: string; port?: number; rs?: string; uuid?: string; v6?: string; tag?: string } = {}): MdnsRecord[] {
  const type = options.secure ? '_uscans._tcp.local' : '_uscan._tcp.local';
  const tag = options.tag ?? 'CB4F69';
  const instance = `HP ScanJet Pro 4500 fn1 [${tag}].${type}`;
  const host = `HP${tag}.local`;
  return [
    { name: type, type: 'PTR', data: instance },
    { name: instance, type: 'SRV', data: { priority: 0, weight: 0, port: options.port ?? 8080, target: host } },
    {
      name: instance,
      type: 'TXT',
      data: [
        Buffer.from('txtvers=1'),
        Buffer.from('ty=HP ScanJet Pro 4500 fn1'),
        Buffer.from(`rs=${options.rs ?? 'eSCL'}`),
        Buffer.from(`UUID=${options.uuid ?? 'FC944F9F-3A57-4d62-82CF-2E557AF58D55'}`),
        Buffer.from('pdl=application/pdf,image/jpeg'),
      ],
    },
    ...(options.ip === undefined && options.v6 !== undefined ? [] : [{ name: host, type: 'A' as const, data: options.ip ?? '192.168.1.20' }]),
    ...(options.v6 === undefined ? [] : [{ name: host, type: 'AAAA' as const, data: options.v6 }]),
  ];
}

describe('resolveEsclServices', () => {
  it('resolves PTR → SRV + TXT → A into the scanner\'s eSCL address and model', () => {
    expect(resolveEsclServices(announcement())).toEqual([
      { baseUrl: 'http://192.168.1.20:8080/eSCL', name: 'HP ScanJet Pro 4500 fn1', uuid: 'fc944f9f-3a57-4d62-82cf-2e557af58d55', secure: false },
    ]);
  });

  it('lists a scanner announcing both HTTP and HTTPS once, over HTTPS', () => {
    const services = resolveEsclServices([...announcement(), ...announcement({ secure: true, port: 443 })]);
    expect(services.map((service) => service.baseUrl)).toEqual(['https://192.168.1.20:443/eSCL']);
  });

  it('honours the TXT rs path, with or without slashes', () => {
    expect(resolveEsclServices(announcement({ rs: '/eSCL/' }))[0]?.baseUrl).toBe('http://192.168.1.20:8080/eSCL');
    expect(resolveEsclServices(announcement({ rs: 'scan/eSCL' }))[0]?.baseUrl).toBe('http://192.168.1.20:8080/scan/eSCL');
  });

  it('uses a routable IPv6 address when there is no IPv4 one, never a link-local one', () => {
    expect(resolveEsclServices(announcement({ v6: '2001:db8::20' }))[0]?.baseUrl).toBe('http://[2001:db8::20]:8080/eSCL');
    expect(resolveEsclServices(announcement({ v6: 'fe80::1' }))).toEqual([]);
  });

  it('skips instances whose SRV or address never arrived, and unrelated services', () => {
    const records = announcement().filter((record) => record.type !== 'SRV');
    expect(resolveEsclServices(records)).toEqual([]);
    expect(resolveEsclServices([{ name: '_ipp._tcp.local', type: 'PTR', data: 'Printer._ipp._tcp.local' }])).toEqual([]);
  });

  it('tells two scanners of the same model apart by UUID', () => {
    const second = announcement({ ip: '192.168.1.21', uuid: '4fae70ec-cc7e-581b-fd50-8a1dc2f57502', tag: '2' });
    expect(resolveEsclServices([...announcement(), ...second])).toHaveLength(2);
  });
});

describe('EsclDriver.listDevices', () => {
  it('lists discovered scanners after the ones entered by address, each once', async () => {
    const browser: MdnsBrowser = { browse: async () => [...announcement(), ...announcement({ ip: '10.0.0.7', uuid: 'other', tag: 'A1' })] };
    const devices = await new EsclDriver({ browser, manual: [{ url: 'http://192.168.1.20:8080/eSCL', name: 'Archive HP' }] }).listDevices();
    expect(devices).toEqual([
      { id: 'escl:http://192.168.1.20:8080/eSCL', backend: 'escl', name: 'Archive HP' },
      { id: 'escl:http://10.0.0.7:8080/eSCL', backend: 'escl', name: 'HP ScanJet Pro 4500 fn1' },
    ]);
  });

  it('reports blocked multicast as unavailable, pointing to manual entry', async () => {
    const browser: MdnsBrowser = { browse: () => Promise.reject(new Error('bind EADDRINUSE 0.0.0.0:5353')) };
    await expect(new EsclDriver({ browser }).listDevices()).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('Enter their addresses') });
  });
});

describe('createMulticastDnsBrowser', () => {
  /** A stand-in for the multicast socket: answers each query from a table of what the "network" knows. */
  function fakeNetwork(knows: MdnsRecord[]) {
    const queries: string[] = [];
    const listeners: ((response: { answers: MdnsRecord[]; additionals: MdnsRecord[] }) => void)[] = [];
    const socket = {
      on: (event: string, listener: (response: { answers: MdnsRecord[]; additionals: MdnsRecord[] }) => void) => {
        if (event === 'response') listeners.push(listener);
        return socket;
      },
      query: (questions: { name: string; type: string }[]) => {
        for (const question of questions) {
          queries.push(`${question.type} ${question.name}`);
          const answers = knows.filter((record) => record.type === question.type && record.name === question.name);
          if (answers.length > 0) setTimeout(() => listeners.forEach((listener) => listener({ answers, additionals: [] })), 1);
        }
      },
      destroy: () => undefined,
    };
    return { socket, queries };
  }

  it('asks for the SRV, TXT and address records a device did not volunteer, and resolves the scanner', async () => {
    const { socket, queries } = fakeNetwork(announcement());
    const browser = createMulticastDnsBrowser(() => socket as unknown as MdnsSocket);
    const records = await browser.browse(['_uscan._tcp.local'], 100);
    expect(queries).toEqual([
      'PTR _uscan._tcp.local',
      'SRV HP ScanJet Pro 4500 fn1 [CB4F69]._uscan._tcp.local',
      'TXT HP ScanJet Pro 4500 fn1 [CB4F69]._uscan._tcp.local',
      'A HPCB4F69.local',
      'AAAA HPCB4F69.local',
    ]);
    expect(resolveEsclServices(records).map((service) => service.baseUrl)).toEqual(['http://192.168.1.20:8080/eSCL']);
  });
});
