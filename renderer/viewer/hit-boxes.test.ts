import { describe, expect, it } from 'vitest';
import { word } from '../test-support/pages';
import { toPercentBox, wordsMatching } from './hit-boxes';

describe('wordsMatching', () => {
  const words = [
    word('Raporti', 100, 100, 300, 140),
    word('nga', 310, 100, 360, 140),
    word('Prishtinë,', 370, 100, 600, 140),
    word('ĐORĐEVIĆ', 100, 200, 400, 240),
    word('12/1999', 100, 300, 260, 340),
  ];

  it('finds the words whose folding is a matched term, despite accents, case and punctuation', () => {
    expect(wordsMatching(words, ['prishtine', 'djordjevic']).map((w) => w.text)).toEqual(['Prishtinë,', 'ĐORĐEVIĆ']);
  });

  it('finds a term inside an OCR word that ran two words together', () => {
    expect(wordsMatching(words, ['1999']).map((w) => w.text)).toEqual(['12/1999']);
  });

  it('does not find words that only contain a term', () => {
    expect(wordsMatching(words, ['rapor'])).toEqual([]);
  });

  it('finds nothing without terms', () => {
    expect(wordsMatching(words, [])).toEqual([]);
  });
});

describe('toPercentBox', () => {
  it('scales pixel coordinates of the original to fractions of the displayed image', () => {
    expect(toPercentBox({ x0: 248, y0: 350.8, x1: 496, y1: 701.6 }, 2480, 3508)).toEqual({
      left: 10,
      top: 10,
      width: 10,
      height: 10,
    });
  });

  it('places the same box at the same spot whatever the displayed size', () => {
    const box = toPercentBox({ x0: 1240, y0: 0, x1: 2480, y1: 1754 }, 2480, 3508);
    expect(box).toEqual({ left: 50, top: 0, width: 50, height: 50 });
    // Displayed at 620 × 877 px, that is 310 px from the left and 438.5 px high.
    expect(((box?.left ?? 0) / 100) * 620).toBe(310);
    expect(((box?.height ?? 0) / 100) * 877).toBe(438.5);
  });

  it('clips boxes that reach beyond the page', () => {
    expect(toPercentBox({ x0: -10, y0: 90, x1: 50, y1: 120 }, 100, 100)).toEqual({ left: 0, top: 90, width: 50, height: 10 });
  });

  it('turns reversed coordinates the right way round', () => {
    expect(toPercentBox({ x0: 50, y0: 50, x1: 10, y1: 10 }, 100, 100)).toEqual({ left: 10, top: 10, width: 40, height: 40 });
  });

  it('draws nothing for empty boxes, boxes outside the page, broken coordinates, or an image without size', () => {
    expect(toPercentBox({ x0: 10, y0: 10, x1: 10, y1: 20 }, 100, 100)).toBeNull();
    expect(toPercentBox({ x0: 200, y0: 10, x1: 300, y1: 20 }, 100, 100)).toBeNull();
    expect(toPercentBox({ x0: 0, y0: 0, x1: 10, y1: 10 }, 0, 100)).toBeNull();
    expect(toPercentBox({ x0: Number.NaN, y0: 0, x1: 10, y1: 10 }, 100, 100)).toBeNull();
  });
});
