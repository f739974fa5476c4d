import { describe, expect, it } from 'vitest';
import { foldForSearch } from './fold';
import { MIN_VARIANT_CHARS, VARIANT_KEY_PREFIX, variantKey } from './variant-key';

const key = (word: string) => variantKey(foldForSearch(word));
const sameKey = (a: string, b: string) => {
  expect(key(a), `${a} and ${b}`).not.toBeNull();
  expect(key(a), `${a} and ${b}`).toBe(key(b));
};

describe('variantKey brings Albanian and Serbian spellings together', () => {
  it.each([
    ['Prishtina', 'Priština'],
    ['Prishtina', 'Приштина'],
    ['Gashi', 'Gaši'],
    ['Zhivkoviq', 'Živković'],
    ['Xhafer', 'Džafer'],
    ['Gjakova', 'Đakova'],
    ['Gjorgjeviq', 'Đorđević'],
    ['Çeku', 'Čeku'],
    ['Qerimi', 'Ćerimi'],
    ['Kllokot', 'Klokot'],
    ['Gllogoc', 'Glogoc'],
  ])('%s ~ %s', sameKey);

  it('also brings the usual OCR misreadings together', () => {
    sameKey('Prishtina', 'Prishtlna');
    sameKey('Prishtina', 'Pr1shtina');
    sameKey('Kosovo', 'Kos0vo');
    sameKey('Hamiti', 'Harniti');
    sameKey('Berisha', 'Berlsha');
  });

  it('marks keys so they never equal a folded word', () => {
    expect(key('Prishtina')?.startsWith(VARIANT_KEY_PREFIX)).toBe(true);
  });
});

describe('variantKey keeps ordinary words apart', () => {
  it(`gives no key to words under ${MIN_VARIANT_CHARS} letters, where s/sh and i/l decide the word`, () => {
    for (const word of ['shi', 'si', 'mal', 'nga', 'për', 'në', 'je', 'Peć', 'qen']) expect(key(word)).toBeNull();
  });

  it('gives no key to numbers, so case numbers stay exact', () => {
    expect(key('1999')).toBeNull();
    expect(key('0042')).toBeNull();
  });

  it.each([
    // Albanian words that differ only where the key merges letters; checked to stay apart.
    ['shtëpi', 'shtypi'],
    ['raport', 'rapor'],
    ['policia', 'policor'],
    ['vrasje', 'vrasës'],
    ['dëshmitar', 'dëshmia'],
    ['Gashi', 'Gaxha'],
    ['Krasniqi', 'Krasniće'],
  ])('%s and %s keep different keys', (a, b) => {
    expect(key(a)).not.toBe(key(b));
  });
});
