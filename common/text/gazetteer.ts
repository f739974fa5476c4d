import { foldForSearch } from './fold';
import { KOSOVO_PLACES, type Place } from './kosovo-places';
import { tokenize } from './tokenize';
import { variantKey } from './variant-key';

/** A run of query words that names a place, and every name the place goes by. */
export interface PlaceMatch {
  /** Index of the first query word of the name, and how many words it spans. */
  readonly start: number;
  readonly length: number;
  readonly place: Place;
  /** Every name of the place, each as its folded words, the matched name included. */
  readonly names: readonly (readonly string[])[];
}

/**
 * Albanian nouns change their ending with definiteness and case, and records use every form
 * ("në Prishtinë", "Komuna e Prishtinës", "Prishtina"). Derived by rule for the last word.
 */
export function albanianForms(name: string): string[] {
  const words = name.split(' ');
  const last = words.pop() ?? '';
  const stem = words.length > 0 ? `${words.join(' ')} ` : '';
  const forms = [name];
  if (last.endsWith('ë')) forms.push(`${stem}${last.slice(0, -1)}a`, `${stem}${last}s`);
  else if (last.endsWith('i')) forms.push(`${stem}${last}a`, `${stem}${last}së`);
  else if (last.endsWith('e')) forms.push(`${stem}${last}ja`);
  else forms.push(`${stem}${last}i`, `${stem}${last}it`);
  return forms;
}

/** How a word is looked up: by its variant key where it has one, so "Prishtlna" still names the place. */
function matchKey(folded: string): string {
  return variantKey(folded) ?? folded;
}

function foldedWords(name: string): string[] {
  return tokenize(name).map(foldForSearch).filter((word) => word !== '');
}

interface Gazetteer {
  /** Match key of a whole name (its words' keys joined by spaces) → places of that name. */
  readonly byName: ReadonlyMap<string, readonly Place[]>;
  readonly namesOf: ReadonlyMap<Place, readonly (readonly string[])[]>;
  readonly longestName: number;
}

function buildGazetteer(places: readonly Place[]): Gazetteer {
  const byName = new Map<string, Place[]>();
  const namesOf = new Map<Place, string[][]>();
  let longestName = 1;
  for (const place of places) {
    const common = new Set((place.common ?? []).map((name) => foldedWords(name).join(' ')));
    const all = [...place.sq.flatMap(albanianForms), ...place.sr, ...(place.en ?? [])];
    const seen = new Set<string>();
    const targets: string[][] = [];
    for (const name of all) {
      const words = foldedWords(name);
      const folded = words.join(' ');
      if (words.length === 0 || seen.has(folded)) continue;
      seen.add(folded);
      longestName = Math.max(longestName, words.length);
      const key = words.map(matchKey).join(' ');
      const holders = byName.get(key) ?? [];
      if (!holders.includes(place)) holders.push(place);
      byName.set(key, holders);
      if (!common.has(folded)) targets.push(words);
    }
    namesOf.set(place, targets);
  }
  return { byName, namesOf, longestName };
}

let gazetteer: Gazetteer | undefined;

/**
 * Finds the place names in a query, given as folded words, longest name first and without
 * overlaps: in "fushe kosove" the municipality Fushë Kosovë is found, not the region Kosovë.
 */
export function findPlaces(words: readonly string[]): PlaceMatch[] {
  gazetteer ??= buildGazetteer(KOSOVO_PLACES);
  const { byName, namesOf, longestName } = gazetteer;
  const keys = words.map(matchKey);
  const matches: PlaceMatch[] = [];
  for (let start = 0; start < words.length; ) {
    let found: PlaceMatch | undefined;
    for (let length = Math.min(longestName, words.length - start); length >= 1 && !found; length--) {
      const places = byName.get(keys.slice(start, start + length).join(' '));
      if (!places) continue;
      const names = places.flatMap((place) => namesOf.get(place) ?? []);
      const [place] = places;
      if (place) found = { start, length, place, names };
    }
    if (found) {
      matches.push(found);
      start += found.length;
    } else {
      start++;
    }
  }
  return matches;
}
