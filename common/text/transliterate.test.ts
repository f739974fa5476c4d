import { describe, expect, it } from 'vitest';
import { cyrillicToLatin, latinToCyrillic } from './transliterate';

describe('cyrillicToLatin', () => {
  it('writes Serbian Cyrillic in Gaj\'s Latin alphabet', () => {
    expect(cyrillicToLatin('Приштина')).toBe('Priština');
    expect(cyrillicToLatin('Пећ, Ђаковица, Урошевац')).toBe('Peć, Đakovica, Uroševac');
    expect(cyrillicToLatin('Вучитрн Гњилане')).toBe('Vučitrn Gnjilane');
  });

  it('turns љ, њ and џ into the digraphs lj, nj and dž', () => {
    expect(cyrillicToLatin('љубав њива џеп')).toBe('ljubav njiva džep');
    expect(cyrillicToLatin('Љиљана Њего Џаковић')).toBe('Ljiljana Njego Džaković');
  });

  it('leaves Latin, digits and punctuation alone', () => {
    expect(cyrillicToLatin('Prishtinë 12/1999 — Nr.')).toBe('Prishtinë 12/1999 — Nr.');
  });

  it('spells letters of other Cyrillic alphabets that OCR may produce', () => {
    expect(cyrillicToLatin('йод')).toBe('jod');
  });
});

describe('latinToCyrillic', () => {
  it('is the inverse for Serbian Latin text, digraphs included', () => {
    for (const word of ['Priština', 'Peć', 'Đakovica', 'Uroševac', 'Gnjilane', 'Ljiljana', 'džep', 'Vučitrn']) {
      expect(cyrillicToLatin(latinToCyrillic(word))).toBe(word);
    }
    expect(latinToCyrillic('Gnjilane')).toBe('Гњилане');
    expect(latinToCyrillic('Džaković')).toBe('Џаковић');
    // Serbian ј, never the Russian й that reads back the same.
    expect(latinToCyrillic('Jovanović je')).toBe('Јовановић је');
  });
});
