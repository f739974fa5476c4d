import { describe, expect, it } from 'vitest';
import type { SnippetPart } from './indexed-page';
import { buildSnippet } from './snippet';

const marked = (parts: SnippetPart[]) => parts.filter((part) => part.match).map((part) => part.text);
const plain = (parts: SnippetPart[]) => parts.map((part) => part.text).join('');

describe('buildSnippet', () => {
  it('marks the words whose folding matched, as they are written on the page', () => {
    const parts = buildSnippet('Raport nga Prishtinë, Đakovica.', ['prishtine', 'djakovica']);
    expect(parts).toEqual([
      { text: 'Raport nga ', match: false },
      { text: 'Prishtinë', match: true },
      { text: ', ', match: false },
      { text: 'Đakovica', match: true },
      { text: '.', match: false },
    ]);
  });

  it('marks every occurrence inside the excerpt', () => {
    expect(marked(buildSnippet('vendi vendi VENDI', ['vendi']))).toEqual(['vendi', 'vendi', 'VENDI']);
  });

  it('does not mark words that merely contain a matched term', () => {
    expect(marked(buildSnippet('Prishtina prishtinas', ['prishtina']))).toEqual(['Prishtina']);
  });

  it('centres a long text on the first match, on word boundaries, with ellipses where words were cut', () => {
    const before = Array.from({ length: 60 }, (_, i) => `fjala${i}`).join(' ');
    const after = Array.from({ length: 60 }, (_, i) => `tjeter${i}`).join(' ');
    const parts = buildSnippet(`${before} Ferizaj ${after}`, ['ferizaj'], { length: 120, lead: 30 });
    const text = plain(parts);
    expect(parts[0]).toEqual({ text: '…', match: false });
    expect(parts[parts.length - 1]).toEqual({ text: '…', match: false });
    expect(marked(parts)).toEqual(['Ferizaj']);
    expect(text.length).toBeLessThanOrEqual(120 + 2);
    expect(text).toMatch(/^…fjala\d+ /);
    expect(text).toMatch(/ tjeter\d+…$/);
  });

  it('collapses line breaks and runs of spaces from OCR into single spaces', () => {
    expect(plain(buildSnippet('Nr.\n\n12   /\t1999', ['12']))).toBe('Nr. 12 / 1999');
  });

  it('shows the start of the text, unmarked, when only the file name matched', () => {
    const parts = buildSnippet('Deklaratë e dëshmitarit', ['raporti']);
    expect(parts).toEqual([{ text: 'Deklaratë e dëshmitarit', match: false }]);
  });

  it('adds no ellipsis when only punctuation or spaces were left out', () => {
    expect(plain(buildSnippet('  (Prishtinë)  ', ['prishtine']))).toBe('(Prishtinë)');
  });

  it('cuts a text without word breaks at the length', () => {
    const parts = buildSnippet('x'.repeat(1000), [], { length: 50 });
    expect(plain(parts)).toBe(`${'x'.repeat(50)}…`);
  });

  it('returns no parts for empty or blank text', () => {
    expect(buildSnippet('', ['a'])).toEqual([]);
    expect(buildSnippet(' \n ', ['a'])).toEqual([]);
  });
});
