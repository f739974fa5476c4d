import { describe, expect, it } from 'vitest';
import { personRecord } from '../catalog/persons';
import { renderStatic } from '../test-support/render';
import { matchingPersons, PersonSuggestions } from './PersonSuggestions';

const persons = [
  personRecord('Dragan Živković', ['d1', 'd2', 'd3']),
  personRecord('Agim Gashi', ['d1']),
  personRecord('Arben Gashi', ['d4', 'd5']),
  personRecord('Ђорђе Јовановић', ['d6']),
];
const names = (query: string) => matchingPersons(persons, query).map((person) => person.name);

describe('persons suggested while a name is typed', () => {
  it('match each typed word to the start of a word of the name, in either script, with or without diacritics', () => {
    expect(names('zivk')).toEqual(['Dragan Živković']);
    expect(names('Живк драг')).toEqual(['Dragan Živković']);
    expect(names('djordje')).toEqual(['Ђорђе Јовановић']);
    expect(names('jovanović')).toEqual(['Ђорђе Јовановић']);
  });

  it('put the most documented first, and wait for three letters', () => {
    expect(names('gashi')).toEqual(['Arben Gashi', 'Agim Gashi']);
    expect(names('ga')).toEqual([]);
    expect(names('   ')).toEqual([]);
    expect(names('gashi zzz')).toEqual([]);
  });

  it('show each as a button with its number of documents, and nothing when none fits', () => {
    const doc = renderStatic(<PersonSuggestions persons={matchingPersons(persons, 'gashi')} onChoose={() => undefined} />);
    expect(doc.byTag('button').map((button) => button.text)).toEqual(['Arben Gashi 2 documents', 'Agim Gashi 1 document']);
    expect(renderStatic(<PersonSuggestions persons={[]} onChoose={() => undefined} />).html).toBe('');
  });
});
