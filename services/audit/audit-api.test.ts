import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../common/api/contract';
import { startAppServices, type AppServices } from '../app-services';
import { callMethod } from '../../test/support/call-method';

// audit.list through the app's dispatcher, as either host calls it.

let services: AppServices;
let archiveDir: string;

beforeAll(async () => {
  process.env.ARKIVA_ESCL_DISCOVERY = 'off';
  archiveDir = await mkdtemp(path.join(tmpdir(), 'arkiva-audit-api-'));
  services = await startAppServices({ host: 'local', archiveDir });
});
afterAll(async () => {
  await services?.close();
  await rm(archiveDir, { recursive: true, force: true });
});

const call = (method: string, input: unknown) => callMethod(services.dispatch, method, input);

describe('audit.list', () => {
  it('reads back what audit.record wrote, a page at a time, as soon as the record call returns', async () => {
    // Nobody is signed in: searching and reading are then the workstation's.
    const first = (await call('audit.record', { kind: 'search', subject: 'Prishtinë 1999' })) as { seq: number };
    // Not awaited on purpose: the listing must wait for the entry still being written.
    const writing = call('audit.record', { kind: 'view', subject: 'page 7', details: { zoom: 2 } });
    const all = methods['audit.list'].output.parse(await call('audit.list', { after: first.seq - 1 }));
    const { seq: second } = (await writing) as { seq: number };
    expect(all.entries.map(({ seq, kind, actor, subject }) => ({ seq, kind, actor, subject }))).toEqual([
      { seq: first.seq, kind: 'search', actor: 'workstation', subject: 'Prishtinë 1999' },
      { seq: second, kind: 'view', actor: 'workstation', subject: 'page 7' },
    ]);
    expect(all.lastSeq).toBe(second);

    const page = methods['audit.list'].output.parse(await call('audit.list', { after: first.seq - 1, limit: 1 }));
    expect(page.entries.map((entry) => entry.seq)).toEqual([first.seq]);
    expect(page.lastSeq).toBe(second);
  });

  it('refuses a page larger than 1000 entries or a starting point that is not a sequence number', async () => {
    await expect(call('audit.list', { limit: 1001 })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(call('audit.list', { after: -1 })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(call('audit.list', { after: 'latest' })).rejects.toMatchObject({ code: 'bad-request' });
  });
});
