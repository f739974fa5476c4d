import { describe, expect, it } from 'vitest';
import { foldForSearch } from './fold';
import { albanianForms, findPlaces } from './gazetteer';
import { KOSOVO_PLACES } from './kosovo-places';
import { tokenize } from './tokenize';

const words = (query: string) => tokenize(query).map(foldForSearch);
const namesFor = (query: string) => findPlaces(words(query)).map((match) => match.names.map((name) => name.join(' ')));

describe('the Kosovo gazetteer', () => {
  it('lists all 38 municipalities', () => {
    expect(KOSOVO_PLACES.filter((place) => place.kind === 'municipality')).toHaveLength(38);
  });

  it('gives every place an Albanian and a Serbian name', () => {
    for (const place of KOSOVO_PLACES) {
      expect(place.sq.length, place.sq.join()).toBeGreaterThan(0);
      expect(place.sr.length, place.sq.join()).toBeGreaterThan(0);
    }
  });

  it('never files one name under two places', () => {
    const owner = new Map<string, string>();
    for (const place of KOSOVO_PLACES) {
      for (const name of [...place.sq, ...place.sr]) {
        const folded = words(name).join(' ');
        const other = owner.get(folded);
        if (other) expect(other, folded).toBe(place.sq[0]);
        owner.set(folded, place.sq[0] ?? '');
      }
    }
  });
});

describe('albanianForms', () => {
  it('derives the definite and genitive forms records use', () => {
    expect(albanianForms('Prishtinë')).toEqual(['Prishtinë', 'Prishtina', 'Prishtinës']);
    expect(albanianForms('Prizren')).toEqual(['Prizren', 'Prizreni', 'Prizrenit']);
    expect(albanianForms('Vushtrri')).toEqual(['Vushtrri', 'Vushtrria', 'Vushtrrisë']);
    expect(albanianForms('Fushë Kosovë')).toContain('Fushë Kosova');
  });
});

describe('findPlaces', () => {
  it.each([
    ['Приштина', 'prishtine'],
    ['Priština', 'prishtina'],
    ['Prishtinë', 'pristina'],
    ['Prishtina', 'pristine'],
    ['Peć', 'peje'],
    ['Pejë', 'pec'],
    ['Пећ', 'peja'],
    ['Gjakovë', 'djakovica'],
    ['Đakovica', 'gjakove'],
    ['Ferizaj', 'urosevac'],
    ['Uroševac', 'ferizaj'],
    ['Mitrovicë', 'mitrovica'],
    ['Gjilan', 'gnjilane'],
    ['Podujevë', 'podujevo'],
    ['Vushtrri', 'vucitrn'],
    ['Rahovec', 'orahovac'],
    ['Skënderaj', 'srbica'],
  ])('expands %s to include %s', (query, expected) => {
    const [names] = namesFor(query);
    expect(names).toContain(expected);
  });

  it('recognises a name misread by OCR', () => {
    expect(namesFor('Prishtlna')[0]).toContain('pristina');
  });

  it('finds multi-word names, longest first', () => {
    const matches = findPlaces(words('raport Fushë Kosovë 1999'));
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({ start: 1, length: 2 });
    expect(matches[0]?.names.map((name) => name.join(' '))).toContain('kosovo polje');
    expect(namesFor('Kosovo Polje')[0]).toContain('fushe kosove');
  });

  it('finds several places in one query, and leaves other words alone', () => {
    const matches = findPlaces(words('Gashi Pejë Prizren raport'));
    expect(matches.map((match) => [match.start, match.place.sq[0]])).toEqual([
      [1, 'Pejë'],
      [2, 'Prizren'],
    ]);
  });

  it('does not turn ordinary words into places', () => {
    expect(findPlaces(words('raport policor deklaratë dëshmitar vrasje autopsi'))).toEqual([]);
  });

  it('never expands a place to a name that is also an ordinary word', () => {
    // "viti" is "the year" in Albanian; "istok" is "east" in Serbian.
    expect(namesFor('Vitina')[0]).not.toContain('viti');
    expect(namesFor('Istog')[0]).not.toContain('istok');
    // The other way round only adds the place's other names.
    expect(namesFor('viti')[0]).toContain('vitina');
  });

  it('returns nothing for no words', () => {
    expect(findPlaces([])).toEqual([]);
  });
});
