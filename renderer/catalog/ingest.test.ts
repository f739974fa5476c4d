import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArkivaCatalog } from './catalog-db';
import { ingestPage, ingestPages } from './ingest';
import { failedPage, pendingPage, recognizedPage } from '../test-support/pages';

let catalog: ArkivaCatalog;
let dbCount = 0;

beforeEach(async () => {
  catalog = new ArkivaCatalog(`ingest-test-${++dbCount}`);
  await catalog.open();
});

afterEach(async () => {
  await catalog.delete();
});

describe('ingestPage', () => {
  it('adds a page the catalog does not know', async () => {
    const page = pendingPage();
    const outcome = await ingestPage(catalog, page);
    expect(outcome).toEqual({ change: 'added', page });
    expect(await catalog.pages.get(page.id)).toEqual(page);
  });

  it('is idempotent: the same page again changes nothing and stores one row', async () => {
    const page = recognizedPage(pendingPage(), 'Raport policor');
    await ingestPage(catalog, page);
    const again = await ingestPage(catalog, structuredClone(page));
    expect(again.change).toBe('unchanged');
    expect(await catalog.pages.count()).toBe(1);
    expect(await catalog.pages.get(page.id)).toEqual(page);
  });

  it('moves a page forward from pending OCR to recognized', async () => {
    const pending = pendingPage();
    await ingestPage(catalog, pending);
    const recognized = recognizedPage(pending, 'Prishtinë');
    const outcome = await ingestPage(catalog, recognized);
    expect(outcome).toEqual({ change: 'updated', page: recognized });
    expect((await catalog.pages.get(pending.id))?.status).toBe('recognized');
  });

  it('keeps recognized when a late pending-ocr event arrives, and says which page it kept', async () => {
    const pending = pendingPage();
    const recognized = recognizedPage(pending, 'Prishtinë');
    await ingestPage(catalog, recognized);
    const outcome = await ingestPage(catalog, pending);
    expect(outcome).toEqual({ change: 'stale', page: recognized });
    expect(await catalog.pages.get(pending.id)).toEqual(recognized);
  });

  it('keeps failed (with its reason) when a late pending-ocr event arrives', async () => {
    const pending = pendingPage();
    const failed = failedPage(pending, 'unreadable');
    await ingestPage(catalog, failed);
    await ingestPage(catalog, pending);
    expect(await catalog.pages.get(pending.id)).toEqual(failed);
  });

  it('lets a later OCR result replace an earlier one (a re-run after failure)', async () => {
    const pending = pendingPage();
    await ingestPage(catalog, failedPage(pending));
    const recognized = recognizedPage(pending, 'second attempt');
    expect((await ingestPage(catalog, recognized)).change).toBe('updated');
    expect(await catalog.pages.get(pending.id)).toEqual(recognized);
  });
});

describe('ingestPages', () => {
  it('stores a whole listing and reports an outcome per page, in order', async () => {
    const known = recognizedPage(pendingPage(), 'known');
    await ingestPage(catalog, known);
    const fresh = pendingPage();
    const outcomes = await ingestPages(catalog, [known, fresh]);
    expect(outcomes.map((outcome) => outcome.change)).toEqual(['unchanged', 'added']);
    expect(await catalog.pages.count()).toBe(2);
  });

  it('judges a page that appears twice in one batch by the order it arrived in', async () => {
    const pending = pendingPage();
    const recognized = recognizedPage(pending, 'text');
    const outcomes = await ingestPages(catalog, [recognized, pending]);
    expect(outcomes.map((outcome) => outcome.change)).toEqual(['added', 'stale']);
    expect(await catalog.pages.get(pending.id)).toEqual(recognized);
  });

  it('ends in the same catalog whatever order the events arrive in', async () => {
    const pending = pendingPage();
    const recognized = recognizedPage(pending, 'text');
    await ingestPages(catalog, [pending, recognized, pending]);
    const other = new ArkivaCatalog(`ingest-test-${++dbCount}`);
    try {
      await ingestPages(other, [recognized, pending]);
      expect(await other.pages.toArray()).toEqual(await catalog.pages.toArray());
    } finally {
      await other.delete();
    }
  });

  it('does nothing for an empty batch', async () => {
    expect(await ingestPages(catalog, [])).toEqual([]);
    expect(await catalog.pages.count()).toBe(0);
  });
});
