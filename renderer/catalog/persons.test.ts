import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentRecord } from '../../common/api/contract';
import { foldForSearch } from '../../common/text/fold';
import { ArkivaCatalog } from './catalog-db';
import { ingestDocuments, removeDocumentsNotIn } from './documents';

let catalog: ArkivaCatalog;
let dbCount = 0;

beforeEach(async () => {
  catalog = new ArkivaCatalog(`persons-test-${++dbCount}`);
  await catalog.open();
});

afterEach(async () => {
  await catalog.delete();
});

const A = '0b1c2d3e-0000-4000-8000-00000000000a';
const B = '0b1c2d3e-0000-4000-8000-00000000000b';

function document(id: string, revision: number, persons: string[], deleted = false): DocumentRecord {
  return {
    id,
    revision,
    createdAt: '2026-11-01T08:00:00.000Z',
    updatedAt: '2026-11-01T08:00:00.000Z',
    deleted,
    pages: [],
    metadata: { persons, sensitivity: 'internal', tags: [] },
  };
}

const persons = async () => (await catalog.persons.orderBy('name').toArray()).map(({ name, documentIds }) => [name, documentIds]);

describe('the persons table', () => {
  it('lists each name the documents give once, with the documents naming it', async () => {
    await ingestDocuments(catalog, [document(A, 1, ['Agim Gashi', 'Dragan Živković']), document(B, 1, ['Agim Gashi'])]);
    expect(await persons()).toEqual([
      ['Agim Gashi', [A, B]],
      ['Dragan Živković', [A]],
    ]);
  });

  it('follows a document as it changes: a name it drops loses it, a name no document gives any more goes', async () => {
    await ingestDocuments(catalog, [document(A, 1, ['Agim Gashi', 'Dragan Živković']), document(B, 1, ['Agim Gashi'])]);
    await ingestDocuments(catalog, [document(A, 2, ['Agim Gashi', 'Vjosa Berisha'])]);
    expect(await persons()).toEqual([
      ['Agim Gashi', [A, B]],
      ['Vjosa Berisha', [A]],
    ]);
    // A late event with the older revision changes nothing.
    await ingestDocuments(catalog, [document(A, 1, ['Dragan Živković'])]);
    expect((await persons()).map(([name]) => name)).toEqual(['Agim Gashi', 'Vjosa Berisha']);
  });

  it('forgets the names of deleted documents and of documents the archive no longer lists', async () => {
    await ingestDocuments(catalog, [document(A, 1, ['Agim Gashi']), document(B, 1, ['Agim Gashi', 'Vjosa Berisha'])]);
    await ingestDocuments(catalog, [document(A, 2, ['Agim Gashi'], true)]);
    expect(await persons()).toEqual([
      ['Agim Gashi', [B]],
      ['Vjosa Berisha', [B]],
    ]);
    await removeDocumentsNotIn(catalog, new Set([A]));
    expect(await persons()).toEqual([]);
  });

  it('answers a prefix typed in either script or without accents, through the folded form', async () => {
    await ingestDocuments(catalog, [document(A, 1, ['Dragan Živković', 'Đorđe Jovanović', 'Agim Gashi'])]);
    const suggest = async (typed: string) => (await catalog.persons.where('folded').startsWith(foldForSearch(typed)).toArray()).map((person) => person.name);
    expect(await suggest('Драган Живк')).toEqual(['Dragan Živković']);
    expect(await suggest('djordje')).toEqual(['Đorđe Jovanović']);
    expect(await suggest('ĐORĐE J')).toEqual(['Đorđe Jovanović']);
  });

  it('finds the persons of a document through the documentIds index', async () => {
    await ingestDocuments(catalog, [document(A, 1, ['Agim Gashi']), document(B, 1, ['Vjosa Berisha'])]);
    expect((await catalog.persons.where('documentIds').equals(B).toArray()).map((person) => person.name)).toEqual(['Vjosa Berisha']);
  });
});
