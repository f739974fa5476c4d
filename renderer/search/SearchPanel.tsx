import { useEffect, useRef, useState } from 'react';
import { useServices } from '../app/ServicesContext';
import { describeError, type DescribedError } from '../errors/describe-error';
import { errorText } from '../errors/error-text';
import { useI18n } from '../i18n/I18nProvider';
import { formatCapturedAt } from '../pages/format';
import { pageTitle } from '../pages/page-title';
import type { PageHit, SnippetPart } from './indexed-page';
import { queryWords } from './query';

/** Long enough to skip the intermediate states of a word being typed, short enough to feel immediate. */
const TYPING_PAUSE_MS = 120;

type SearchState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'searching'; readonly hits: readonly PageHit[] }
  | { readonly phase: 'done'; readonly hits: readonly PageHit[] }
  | { readonly phase: 'failed'; readonly error: DescribedError };

export function SearchPanel({ selectedId, onOpen }: { selectedId: string | null; onOpen: (hit: PageHit) => void }) {
  const { search, errors } = useServices();
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [state, setState] = useState<SearchState>({ phase: 'idle' });
  const [indexVersion, setIndexVersion] = useState(0);
  const latest = useRef(0);

  // Pages recognised while results are shown must appear in them without a new query.
  useEffect(() => search.onChange(() => setIndexVersion((version) => version + 1)), [search]);

  useEffect(() => {
    if (queryWords(query).length === 0) {
      latest.current++;
      setState({ phase: 'idle' });
      return;
    }
    const request = ++latest.current;
    setState((previous) => ({ phase: 'searching', hits: 'hits' in previous ? previous.hits : [] }));
    const timer = setTimeout(() => {
      search.search(query).then(
        (hits) => {
          if (request === latest.current) setState({ phase: 'done', hits });
        },
        (error: unknown) => {
          if (request !== latest.current) return;
          setState({ phase: 'failed', error: describeError(error) });
          errors.report('errors.context.search', error);
        },
      );
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query, indexVersion, search, errors]);

  return (
    <section className="panel search-panel" aria-labelledby="search-title">
      <h2 id="search-title" className="panel-title">
        {t('search.title')}
        {state.phase === 'done' && <span className="panel-count">{t('search.count', { count: state.hits.length })}</span>}
        {state.phase === 'searching' && <span className="panel-count">{t('search.searching')}</span>}
      </h2>
      <input
        data-testid="search-input"
        className="search-input"
        type="search"
        value={query}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => setQuery(event.target.value)}
      />
      <SearchResults state={state} query={query} selectedId={selectedId} onOpen={onOpen} />
    </section>
  );
}

function SearchResults({
  state,
  query,
  selectedId,
  onOpen,
}: {
  state: SearchState;
  query: string;
  selectedId: string | null;
  onOpen: (hit: PageHit) => void;
}) {
  const { t } = useI18n();
  switch (state.phase) {
    case 'idle':
      return <p className="empty-note">{t('search.hint')}</p>;
    case 'failed':
      return <p className="inline-error">{errorText(state.error, t)}</p>;
    case 'searching':
    case 'done':
      if (state.phase === 'done' && state.hits.length === 0) {
        return <p className="empty-note">{t('search.none', { query: query.trim().slice(0, 80) })}</p>;
      }
      return (
        <ol className="search-results">
          {state.hits.map((hit) => (
            <li key={hit.pageId}>
              <SearchResultItem hit={hit} selected={hit.pageId === selectedId} onOpen={onOpen} />
            </li>
          ))}
        </ol>
      );
  }
}

export function SearchResultItem({ hit, selected, onOpen }: { hit: PageHit; selected: boolean; onOpen: (hit: PageHit) => void }) {
  const { t, locale } = useI18n();
  return (
    <button
      type="button"
      data-testid="search-result"
      data-page-id={hit.pageId}
      className={`search-result${selected ? ' selected' : ''}`}
      aria-current={selected}
      onClick={() => onOpen(hit)}
    >
      <span className="result-head">
        <span className="result-title">{pageTitle(hit, t)}</span>
        <span className="result-date">{formatCapturedAt(hit.capturedAt, locale)}</span>
      </span>
      <span className="result-snippet">
        {hit.snippet.length === 0 ? <em>{t('search.noText')}</em> : <Snippet parts={hit.snippet} />}
      </span>
    </button>
  );
}

export function Snippet({ parts }: { parts: readonly SnippetPart[] }) {
  return (
    <>
      {parts.map((part, index) => (part.match ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>))}
    </>
  );
}
