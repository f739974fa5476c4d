import { describe, expect, it } from 'vitest';
import { foldForSearch, searchFoldSteps } from './fold';

describe('foldForSearch', () => {
  it('lowercases', () => {
    expect(foldForSearch('RAPORT Policor')).toBe('raport policor');
  });

  it.each([
    ['ë', 'e'],
    ['Ë', 'e'],
    ['ç', 'c'],
    ['Ç', 'c'],
    ['č', 'c'],
    ['Č', 'c'],
    ['ć', 'c'],
    ['Ć', 'c'],
    ['š', 's'],
    ['Š', 's'],
    ['ž', 'z'],
    ['Ž', 'z'],
  ])('folds %s to %s', (letter, folded) => {
    expect(foldForSearch(letter)).toBe(folded);
  });

  it('spells đ and Đ out as dj, since they have no decomposition', () => {
    expect(foldForSearch('đ')).toBe('dj');
    expect(foldForSearch('Đ')).toBe('dj');
    expect(foldForSearch('Đorđević')).toBe('djordjevic');
  });

  it('folds whole Albanian and Serbian Latin words to what a plain keyboard types', () => {
    expect(foldForSearch('Prishtinë')).toBe('prishtine');
    expect(foldForSearch('Gjakovë, Mitrovicë, Ferizaj')).toBe('gjakove, mitrovice, ferizaj');
    expect(foldForSearch('Šćepanović Žarko')).toBe('scepanovic zarko');
  });

  it('gives the same result for precomposed and decomposed input', () => {
    const precomposed = 'Kryeqendër';
    const decomposed = precomposed.normalize('NFD');
    expect(decomposed).not.toBe(precomposed);
    expect(foldForSearch(decomposed)).toBe(foldForSearch(precomposed));
  });

  it('turns OCR ligatures into the letters a clerk types', () => {
    expect(foldForSearch('ﬁle ﬂuke')).toBe('file fluke');
  });

  it('transliterates Serbian Cyrillic, so both scripts fold to the same Latin', () => {
    expect(foldForSearch('ПРИШТИНА')).toBe('pristina');
    expect(foldForSearch('Приштина')).toBe(foldForSearch('Priština'));
    expect(foldForSearch('Ђорђевић')).toBe(foldForSearch('Đorđević'));
    expect(foldForSearch('Љубљана Његош Џафер')).toBe('ljubljana njegos dzafer');
    expect(foldForSearch('Пећ')).toBe(foldForSearch('Peć'));
  });

  it('keeps digits and punctuation as they are', () => {
    expect(foldForSearch('Nr. 12/1999-B')).toBe('nr. 12/1999-b');
  });

  it('is idempotent, so folding a folded query changes nothing', () => {
    const once = foldForSearch('Đakovica, Peć, Ğ, Ñ');
    expect(foldForSearch(once)).toBe(once);
  });

  it('handles the empty string', () => {
    expect(foldForSearch('')).toBe('');
  });

  it('is a pipeline of named steps that later issues extend', () => {
    expect(searchFoldSteps.length).toBeGreaterThan(1);
    expect(searchFoldSteps.reduce((text, step) => step(text), 'Đurić')).toBe(foldForSearch('Đurić'));
  });
});
