/**
 * Serbian is written in Cyrillic and in Latin, letter for letter (Vuk's alphabet and Gaj's
 * Latin map one to one, with three Cyrillic letters becoming Latin digraphs). Search folds
 * Cyrillic into Latin so that a query in either script finds text in both.
 *
 * Written here rather than taken from a library: the mapping is the official, fixed 30-letter
 * table, and the transliteration packages on npm either romanise Russian (щ → shch, ж → zh)
 * or carry their own locale data for many languages.
 */
const CYRILLIC_TO_LATIN: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', ђ: 'đ', е: 'e', ж: 'ž', з: 'z', и: 'i',
  ј: 'j', к: 'k', л: 'l', љ: 'lj', м: 'm', н: 'n', њ: 'nj', о: 'o', п: 'p', р: 'r',
  с: 's', т: 't', ћ: 'ć', у: 'u', ф: 'f', х: 'h', ц: 'c', ч: 'č', џ: 'dž', ш: 'š',
  А: 'A', Б: 'B', В: 'V', Г: 'G', Д: 'D', Ђ: 'Đ', Е: 'E', Ж: 'Ž', З: 'Z', И: 'I',
  Ј: 'J', К: 'K', Л: 'L', Љ: 'Lj', М: 'M', Н: 'N', Њ: 'Nj', О: 'O', П: 'P', Р: 'R',
  С: 'S', Т: 'T', Ћ: 'Ć', У: 'U', Ф: 'F', Х: 'H', Ц: 'C', Ч: 'Č', Џ: 'Dž', Ш: 'Š',
  // Letters of neighbouring Cyrillic alphabets that OCR (or a Russian keyboard) puts into
  // Serbian text, spelled as a Serbian reader would.
  й: 'j', Й: 'J', ѓ: 'đ', Ѓ: 'Đ', ќ: 'ć', Ќ: 'Ć', ѕ: 'dz', Ѕ: 'Dz', ы: 'i', Ы: 'I', э: 'e', Э: 'E',
  ю: 'ju', Ю: 'Ju', я: 'ja', Я: 'Ja', ё: 'jo', Ё: 'Jo', щ: 'šč', Щ: 'Šč', ъ: '', Ъ: '', ь: '', Ь: '',
  і: 'i', І: 'I', ї: 'ji', Ї: 'Ji', є: 'je', Є: 'Je',
};

const CYRILLIC_LETTER = /[\u0400-\u04FF]/gu;

export function cyrillicToLatin(text: string): string {
  return text.replace(CYRILLIC_LETTER, (letter) => CYRILLIC_TO_LATIN[letter] ?? letter);
}

const SERBIAN_CYRILLIC = new Set([...'абвгдђежзијклљмнњопрстћуфхцчџшАБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШ']);

/** Latin digraphs first, so "lj" becomes љ and not л + ј. */
const LATIN_TO_CYRILLIC: ReadonlyArray<readonly [string, string]> = [
  ['dž', 'џ'], ['Dž', 'Џ'], ['DŽ', 'Џ'], ['lj', 'љ'], ['Lj', 'Љ'], ['LJ', 'Љ'], ['nj', 'њ'], ['Nj', 'Њ'], ['NJ', 'Њ'],
  ...Object.entries(CYRILLIC_TO_LATIN)
    // Only Vuk's thirty letters: a range like а-ш would also take Russian й, which must not win over ј.
    .filter(([cyrillic, latin]) => latin.length === 1 && SERBIAN_CYRILLIC.has(cyrillic))
    .map(([cyrillic, latin]) => [latin, cyrillic] as const),
];
const LATIN_PATTERN = new RegExp(LATIN_TO_CYRILLIC.map(([latin]) => latin).join('|'), 'gu');
const LATIN_LOOKUP = new Map(LATIN_TO_CYRILLIC);

/**
 * Serbian Latin to Cyrillic, for showing a name in both scripts and for generating test text.
 * Not used for matching (search folds toward Latin). Ambiguous digraphs in compounds
 * ("nadživeti" is н-а-д-ж, not џ) follow the common rule and may need a human eye.
 */
export function latinToCyrillic(text: string): string {
  return text.replace(LATIN_PATTERN, (latin) => LATIN_LOOKUP.get(latin) ?? latin);
}
