import { describe, expect, it } from 'vitest';
import { holdsPhrase } from './phrase';

describe('holdsPhrase', () => {
  it('finds the folded words next to each other, in order, whatever stands between them', () => {
    expect(holdsPhrase('Ky është RAPORT,\n policor.', ['raport', 'policor'])).toBe(true);
    expect(holdsPhrase('Место догађаја: Приштина', ['mesto', 'dogadjaja'])).toBe(true);
    expect(holdsPhrase('policor raport', ['raport', 'policor'])).toBe(false);
    expect(holdsPhrase('raport i policor', ['raport', 'policor'])).toBe(false);
  });

  it('matches whole words only, and not their spelling variants', () => {
    expect(holdsPhrase('raporti policor', ['raport', 'policor'])).toBe(false);
    expect(holdsPhrase('Prishtina raport', ['pristina', 'raport'])).toBe(false);
    expect(holdsPhrase('Priština raport', ['pristina', 'raport'])).toBe(true);
  });

  it('finds a phrase at the very start and the very end of the text', () => {
    expect(holdsPhrase('vendi ngjarjes', ['vendi', 'ngjarjes'])).toBe(true);
    expect(holdsPhrase('x y z vendi ngjarjes', ['vendi', 'ngjarjes'])).toBe(true);
    expect(holdsPhrase('vendi', ['vendi', 'ngjarjes'])).toBe(false);
  });
});
