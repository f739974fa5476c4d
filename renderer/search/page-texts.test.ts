import { describe, expect, it } from 'vitest';
import { PageTexts } from './page-texts';

const odd = [
  '',
  ' ',
  'Raport policor nga Prishtinë, data 12.03.1999.',
  '  leading and trailing spaces  ',
  'Записник о увиђају,\nПриштина.\n\n\tкрај',
  'e\u0308 decomposed, ﬁ ligature, 😀 emoji, \u0000 control',
  '...!!!',
  'word',
  'a  b   c    d',
];

describe('PageTexts', () => {
  it('gives every text back exactly as it was stored, but for lone surrogates, which UTF-8 cannot hold', () => {
    const texts = new PageTexts();
    const pages = odd.map((text) => texts.add(text));
    expect(pages).toEqual(odd.map((_, i) => i));
    expect(pages.map((page) => texts.get(page))).toEqual(odd);
    expect(texts.get(texts.add('lone \uD800 surrogate'))).toBe('lone \uFFFD surrogate');
    const long = Array.from({ length: 20_000 }, (_, i) => `fjala${i}`).join(' ');
    expect(texts.get(texts.add(long))).toBe(long);
  });

  it('keeps the texts through a snapshot, and takes more pages after', () => {
    const texts = new PageTexts();
    for (const text of odd) texts.add(text);
    const reopened = PageTexts.fromSnapshot(structuredClone(texts.snapshot()));
    expect(odd.map((_, page) => reopened.get(page))).toEqual(odd);
    const next = reopened.add('Prishtinë e re, Pejë');
    expect(reopened.get(next)).toBe('Prishtinë e re, Pejë');
    expect(reopened.get(2)).toBe(odd[2]);
    const again = PageTexts.fromSnapshot(structuredClone(reopened.snapshot()));
    expect(again.get(next)).toBe('Prishtinë e re, Pejë');
    expect(again.count).toBe(odd.length + 1);
  });

  it('reads a cleared page as empty, before and after a snapshot', () => {
    const texts = new PageTexts();
    texts.add('raport');
    texts.add('deklaratë');
    texts.clear(0);
    expect(texts.get(0)).toBe('');
    const reopened = PageTexts.fromSnapshot(structuredClone(texts.snapshot()));
    expect(reopened.get(0)).toBe('');
    reopened.clear(1);
    expect(reopened.get(1)).toBe('');
  });

  it('packs pages added or cleared after a snapshot as one snapshot of the same changes would', () => {
    const inSteps = new PageTexts();
    const once = new PageTexts();
    for (const text of odd) {
      inSteps.add(text);
      once.add(text);
    }
    const stepped = PageTexts.fromSnapshot(structuredClone(inSteps.snapshot()));
    for (const texts of [stepped, once]) {
      texts.add('Prishtinë e re, Pejë');
      texts.clear(4);
      texts.add('Записник о увиђају');
    }
    const snapshot = stepped.snapshot();
    expect(snapshot).toEqual(once.snapshot());
    stepped.add('raport');
    once.add('raport');
    expect(stepped.snapshot()).toEqual(once.snapshot());
    expect(PageTexts.fromSnapshot(structuredClone(snapshot)).get(odd.length + 1)).toBe('Записник о увиђају');
  });

  it('hands out the same arrays again when nothing changed since the last snapshot', () => {
    const texts = new PageTexts();
    for (const text of odd) texts.add(text);
    const first = texts.snapshot();
    const second = texts.snapshot();
    for (const part of ['codes', 'offsets', 'pieces', 'pieceEnds', 'hashes'] as const) expect(second[part]).toBe(first[part]);
    texts.clear(2);
    expect(texts.snapshot().hashes).not.toBe(first.hashes);
  });

  it('stores a repetitive text in fewer bytes than UTF-8', () => {
    const texts = new PageTexts();
    const text = Array.from({ length: 300 }, (_, i) => ['raport', 'policor', 'Приштина', 'dëshmitar'][i % 4]).join(' ');
    for (let i = 0; i < 20; i++) texts.add(text);
    expect(texts.snapshot().codes.length).toBeLessThan((new TextEncoder().encode(text).length * 20) / 4);
  });

  it('refuses a damaged snapshot', () => {
    const texts = new PageTexts();
    texts.add('raport policor');
    const snapshot = texts.snapshot();
    expect(() => PageTexts.fromSnapshot({ ...snapshot, codes: snapshot.codes.subarray(1) })).toThrow(/damaged/);
    expect(() => PageTexts.fromSnapshot({ ...snapshot, pieces: snapshot.pieces.subarray(1) })).toThrow(/damaged/);
  });
});

describe('PageTexts.holds', () => {
  it('recognises the text a page holds, before and after a snapshot, and nothing else', () => {
    const texts = new PageTexts();
    const page = texts.add('Raport policor nga Prishtinë');
    expect(texts.holds(page, 'Raport policor nga Prishtinë')).toBe(true);
    expect(texts.holds(page, 'Raport policor nga Prishtina')).toBe(false);
    expect(texts.holds(page, 'Raport policor nga Prishtinë ')).toBe(false);
    const reopened = PageTexts.fromSnapshot(structuredClone(texts.snapshot()));
    expect(reopened.holds(page, 'Raport policor nga Prishtinë')).toBe(true);
    reopened.clear(page);
    expect(reopened.holds(page, 'Raport policor nga Prishtinë')).toBe(false);
    expect(PageTexts.fromSnapshot(reopened.snapshot()).holds(page, 'Raport policor nga Prishtinë')).toBe(false);
    expect(reopened.holds(page + 1, '')).toBe(false);
  });
});
