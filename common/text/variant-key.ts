/**
 * A lossy "variant key" for a folded word (the output of foldForSearch), under which the
 * Albanian and Serbian spellings of one name, and the usual OCR misreadings of it, coincide:
 *
 *   Prishtinë → prishtine → pristine → prlstlne
 *   Priština  → pristina  →            prlstlna
 *   Prishtlna → prishtlna → pristlna → prlstlna
 *
 * The index keeps it beside the folded word (in its own namespace, see VARIANT_KEY_PREFIX) so
 * that an exact spelling matches both and ranks above a variant that matches only the key.
 * Because the key merges letters that ordinary words need apart (s/sh, i/l), it is only made
 * for words of MIN_VARIANT_CHARS letters or more: "shi" (rain) must not find "si" (how), and
 * "mal" (mountain) must not find "mali".
 */
export type KeyStep = (word: string) => string;

/**
 * Albanian writes with digraphs the sounds Serbian writes with one accented letter, which
 * foldForSearch already reduced to its base letter (š → s, ž → z, č and ć → c, đ → dj, dž → dz):
 * sh = š, zh = ž, xh = dž, gj = đ, and both ç and q stand for č/ć.
 */
const SPELLING_DIGRAPHS: ReadonlyArray<readonly [RegExp, string]> = [
  [/xh/g, 'dz'],
  [/gj/g, 'dj'],
  [/sh/g, 's'],
  [/zh/g, 'z'],
  [/q/g, 'c'],
];
const albanianDigraphsToSerbian: KeyStep = (word) =>
  SPELLING_DIGRAPHS.reduce((key, [pattern, replacement]) => key.replace(pattern, replacement), word);

/**
 * The confusions OCR makes on typewritten and photocopied records: i, l and 1 (one stroke),
 * 0 and o, 5 and s, and rn read as m or vv as w (letters touching).
 */
const OCR_CONFUSIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/rn/g, 'm'],
  [/vv/g, 'w'],
  [/[i1]/g, 'l'],
  [/0/g, 'o'],
  [/5/g, 's'],
];
const ocrConfusions: KeyStep = (word) => OCR_CONFUSIONS.reduce((key, [pattern, replacement]) => key.replace(pattern, replacement), word);

/** Albanian doubles letters Serbian writes once (Kllokot/Klokot, Gllogoc/Glogovac), and OCR doubles and drops strokes. */
const collapseDoubledLetters: KeyStep = (word) => word.replace(/(\p{L})\1+/gu, '$1');

export const variantKeySteps: readonly KeyStep[] = [albanianDigraphsToSerbian, ocrConfusions, collapseDoubledLetters];

/** Shorter words get no key: merging s/sh or i/l in them makes too many ordinary words collide. */
export const MIN_VARIANT_CHARS = 4;
/** Keys live beside folded words in one index, so they are marked to never meet a folded word. */
export const VARIANT_KEY_PREFIX = '~';

const HAS_LETTER = /\p{L}/u;

/**
 * The variant key of one folded word, with its prefix, or null for short words and for numbers
 * (a case number "1999" must not become "l999").
 */
export function variantKey(folded: string): string | null {
  if (folded.length < MIN_VARIANT_CHARS || !HAS_LETTER.test(folded)) return null;
  return VARIANT_KEY_PREFIX + variantKeySteps.reduce((key, step) => step(key), folded);
}
