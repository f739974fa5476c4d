import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEventRecord, MethodInput } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import { ArkivaCatalog } from '../catalog/catalog-db';
import { fakeApi } from '../test-support/fake-api';
import { startAuditSync } from './audit-sync';

let catalog: ArkivaCatalog;
let dbCount = 0;
const stops: Array<() => void> = [];

beforeEach(() => {
  catalog = new ArkivaCatalog(`audit-sync-test-${++dbCount}`);
});

afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await catalog.delete();
});

const hex = (n: number) => n.toString(16).padStart(64, '0');

function entry(seq: number, actor = 'arta'): AuditEventRecord {
  return { seq, at: `2026-11-01T08:00:${String(seq % 60).padStart(2, '0')}.000Z`, kind: seq % 2 ? 'view' : 'search', actor, subject: `subject ${seq}`, hash: hex(seq), prev: hex(seq - 1), keyId: hex(999) };
}

/** The services' side: a trail and `audit.list` over it, as services/audit/list-audit-log reads it. */
function trailApi(trail: AuditEventRecord[]) {
  const fake = fakeApi({
    'audit.list': async ({ after = 0, limit = 500 }: MethodInput<'audit.list'>) => ({
      entries: trail.filter((held) => held.seq > after).slice(0, limit),
      lastSeq: trail.at(-1)?.seq ?? 0,
    }),
  });
  return fake;
}

const held = async () => (await catalog.auditEvents.orderBy('seq').toArray()).map((event) => event.seq);

describe('startAuditSync', () => {
  it('copies the whole trail into the catalog a page at a time', async () => {
    const trail = Array.from({ length: 7 }, (_, index) => entry(index + 1));
    const fake = trailApi(trail);
    const sync = startAuditSync({ api: fake.api, catalog, onError: vi.fn(), pageSize: 3 });
    stops.push(sync.stop);
    await sync.loaded;
    expect(await held()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(fake.calls.map((call) => call.input)).toEqual([{ after: 0, limit: 3 }, { after: 3, limit: 3 }, { after: 6, limit: 3 }]);
    expect(await catalog.auditEvents.get(2)).toEqual(trail[1]);
  });

  it('reads only what was recorded since, on refresh and after a reconnect', async () => {
    const trail = [entry(1), entry(2)];
    const fake = trailApi(trail);
    const sync = startAuditSync({ api: fake.api, catalog, onError: vi.fn() });
    stops.push(sync.stop);
    await sync.loaded;
    trail.push(entry(3));
    await sync.refresh();
    expect(await held()).toEqual([1, 2, 3]);
    trail.push(entry(4, 'milan'));
    fake.reconnect();
    await vi.waitFor(async () => expect(await held()).toEqual([1, 2, 3, 4]));
    // Each read starts at the newest entry held, to check it is still the same trail.
    expect(fake.calls.map((call) => call.input)).toEqual([{ after: 0, limit: 1000 }, { after: 1, limit: 1000 }, { after: 2, limit: 1000 }]);
    expect((await catalog.auditEvents.where('actor').equals('milan').toArray()).map((event) => event.seq)).toEqual([4]);
  });

  it('starts over when the services hold another trail (another archive), shorter or longer', async () => {
    await catalog.auditEvents.bulkPut([entry(1), entry(2), entry(3)]);
    const shorter = [entry(1, 'other'), entry(2, 'other')];
    const first = startAuditSync({ api: trailApi(shorter).api, catalog, onError: vi.fn() });
    stops.push(first.stop);
    await first.loaded;
    expect((await catalog.auditEvents.toArray()).map((event) => [event.seq, event.actor])).toEqual([[1, 'other'], [2, 'other']]);

    const longer = [1, 2, 3].map((seq) => ({ ...entry(seq, 'third'), hash: hex(seq + 500) }));
    const second = startAuditSync({ api: trailApi(longer).api, catalog, onError: vi.fn() });
    stops.push(second.stop);
    await second.loaded;
    expect((await catalog.auditEvents.toArray()).map((event) => [event.seq, event.actor])).toEqual([[1, 'third'], [2, 'third'], [3, 'third']]);
  });

  it('leaves the table empty, without an error, when the services cannot list the trail (an older host), and reports other failures', async () => {
    const onError = vi.fn();
    const older = startAuditSync({ api: fakeApi().api, catalog, onError });
    stops.push(older.stop);
    await older.loaded;
    expect(await catalog.auditEvents.count()).toBe(0);
    expect(onError).not.toHaveBeenCalled();

    const failing = fakeApi({ 'audit.list': async () => Promise.reject(new ApiError('internal', 'disk unreadable')) });
    const broken = startAuditSync({ api: failing.api, catalog, onError });
    stops.push(broken.stop);
    await broken.loaded;
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'disk unreadable' }));
  });
});
