/**
 * Search folding, shared by the workstation and the central repository so that both agree on
 * what matches what. Indexed text and queries both pass through `foldForSearch`, so a clerk who
 * types "Prishtine" finds "Prishtinë", and "Djordjevic" finds "Đorđević".
 *
 * Folding is a pipeline of small steps applied in order; each step says what it expects from the
 * ones before it. Serbian Cyrillic is transliterated to Latin here, so "Приштина" folds exactly
 * like "Priština". Bringing Albanian and Serbian spellings together ("Prishtinë" and "Priština")
 * is a separate, lossier key (spelling-key.ts), so that exact spellings can rank first.
 */
import { cyrillicToLatin } from './transliterate';

export type FoldStep = (text: string) => string;

/** First, so every later step only has to handle one case of each letter. */
const lowercase: FoldStep = (text) => text.toLowerCase();

/** Before decomposition, which would split Cyrillic й into и + ◌̆ and lose the letter. */
const transliterateCyrillic: FoldStep = cyrillicToLatin;

/**
 * Compatibility decomposition (NFKD) rather than plain NFD: besides splitting ë into e + ◌̈, it
 * turns the ligatures and presentation forms OCR engines emit (ﬁ, ﬂ, full-width letters) into
 * ordinary letters, which a clerk can never type into a search box.
 */
const decompose: FoldStep = (text) => text.normalize('NFKD');

/** Only nonspacing marks: they are the accents that decomposition split off their letters. */
const NONSPACING_MARKS = /\p{Mn}/gu;
const stripAccents: FoldStep = (text) => text.replace(NONSPACING_MARKS, '');

/**
 * Letters that carry their stroke inside the code point, so decomposition leaves them alone.
 * đ is spelled "dj" wherever a keyboard lacks it, which is also how the repository's
 * transliteration will write Cyrillic ђ.
 */
const SPELLED_OUT_LETTERS: Readonly<Record<string, string>> = { đ: 'dj' };
const SPELLED_OUT_PATTERN = new RegExp(`[${Object.keys(SPELLED_OUT_LETTERS).join('')}]`, 'gu');
const spellOutUndecomposableLetters: FoldStep = (text) =>
  text.replace(SPELLED_OUT_PATTERN, (letter) => SPELLED_OUT_LETTERS[letter] ?? letter);

export const searchFoldSteps: readonly FoldStep[] = [
  lowercase,
  transliterateCyrillic,
  decompose,
  stripAccents,
  spellOutUndecomposableLetters,
];

export function foldForSearch(text: string): string {
  return searchFoldSteps.reduce((folded, step) => step(folded), text);
}
