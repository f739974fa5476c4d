import { foldForSearch } from '../../common/text/fold';
import type { PersonRecord } from '../catalog/persons';
import { useI18n } from '../i18n/I18nProvider';

/** Suggestions start at this many letters: fewer match half the names in the archive. */
const MIN_QUERY_CHARS = 3;
const MAX_SUGGESTIONS = 5;

/**
 * The persons the documents name whose name fits what is typed, in either script and with or
 * without diacritics: each word typed starts a word of the name ("zivk drag" finds "Dragan
 * Živković"). Most documents first.
 */
export function matchingPersons(persons: readonly PersonRecord[], query: string, limit = MAX_SUGGESTIONS): PersonRecord[] {
  const words = foldForSearch(query).split(/\s+/u).filter((word) => word !== '');
  if (words.join('').length < MIN_QUERY_CHARS) return [];
  return persons
    .filter((person) => {
      const nameWords = person.folded.split(/\s+/u);
      return words.every((word) => nameWords.some((nameWord) => nameWord.startsWith(word)));
    })
    .sort((a, b) => b.documentIds.length - a.documentIds.length || a.name.localeCompare(b.name))
    .slice(0, limit);
}

/** Named persons fitting the query; choosing one searches for the name as a phrase. */
export function PersonSuggestions({ persons, onChoose }: { persons: readonly PersonRecord[]; onChoose: (name: string) => void }) {
  const { t } = useI18n();
  if (persons.length === 0) return null;
  return (
    <div className="person-suggestions" data-testid="person-suggestions">
      <span className="field-label">{t('search.persons')}</span>
      {persons.map((person) => (
        <button key={person.name} type="button" className="person-chip" onClick={() => onChoose(`"${person.name}"`)}>
          {person.name} <span className="person-count">{t('search.persons.documents', { count: person.documentIds.length })}</span>
        </button>
      ))}
    </div>
  );
}
