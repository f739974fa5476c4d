import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import { batchStateSchema, pageStatusSchema, type BatchState, type DocumentRecord } from '../../common/api/contract';
import { useServices } from '../app/ServicesContext';
import { matchingPersons, PersonSuggestions } from './PersonSuggestions';
import { useSettledSearchAudit } from '../session/audit-trail';
import { describeError, type DescribedError } from '../errors/describe-error';
import { errorText } from '../errors/error-text';
import { useI18n } from '../i18n/I18nProvider';
import { formatCapturedAt } from '../pages/format';
import { pageTitle } from '../pages/page-title';
import { groupHits, type HitGroup } from './group-hits';
import type { PageHit, SearchFilters, SearchSort, SnippetPart } from './indexed-page';
import { queryWords } from './query';

/** Results asked for; the list says when there may be more. */
export const RESULT_LIMIT = 100;

/** Long enough to skip the intermediate states of a word being typed, short enough to feel immediate. */
const TYPING_PAUSE_MS = 120;

type SearchState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'searching'; readonly hits: readonly PageHit[] }
  | { readonly phase: 'done'; readonly hits: readonly PageHit[] }
  | { readonly phase: 'failed'; readonly error: DescribedError };

export function SearchPanel({ selectedId, onOpen }: { selectedId: string | null; onOpen: (hit: PageHit) => void }) {
  const { api, search, errors, catalog } = useServices();
  const { t } = useI18n();
  // Newest first: the batch a clerk is working on is the one most often looked for.
  const batches = useLiveQuery(
    async () => (await catalog.batches.orderBy('createdAt').reverse().toArray()).map(({ id, title, state }) => ({ id, title, state })),
    [catalog],
    [],
  );
  const described = useLiveQuery(async () => describedValues(await catalog.documents.toArray()), [catalog], NO_DESCRIBED_VALUES);
  const [query, setQuery] = useState('');
  const persons = useLiveQuery(async () => matchingPersons(await catalog.persons.toArray(), query), [catalog, query], []);
  const [sort, setSort] = useState<SearchSort>('relevance');
  const [filters, setFilters] = useState<SearchFilters>({});
  const [state, setState] = useState<SearchState>({ phase: 'idle' });
  const [indexVersion, setIndexVersion] = useState(0);
  const latest = useRef(0);
  useSettledSearchAudit(api, errors, query);

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
      search.search(query, { limit: RESULT_LIMIT, sort, filters }).then(
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
  }, [query, sort, filters, indexVersion, search, errors]);

  return (
    <section className="panel search-panel" aria-labelledby="search-title">
      <h2 id="search-title" className="panel-title">
        {t('search.title')}
        {state.phase === 'done' && (
          <span className="panel-count" data-testid="search-count">
            {state.hits.length >= RESULT_LIMIT
              ? t('search.countMore', { count: state.hits.length })
              : t('search.count', { count: state.hits.length })}
          </span>
        )}
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
      <PersonSuggestions persons={persons} onChoose={setQuery} />
      <SearchFilterBar sort={sort} filters={filters} batches={batches} described={described} onSort={setSort} onFilters={setFilters} />
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
      return <SearchResultList hits={state.hits} selectedId={selectedId} onOpen={onOpen} />;
  }
}

/** Results grouped by document; a page on its own (no document yet) is listed as it is. */
export function SearchResultList({
  hits,
  selectedId,
  onOpen,
}: {
  hits: readonly PageHit[];
  selectedId: string | null;
  onOpen: (hit: PageHit) => void;
}) {
  return (
    <ol className="search-results">
      {groupHits(hits).map((group) => (
        <li key={group.documentId}>
          {group.hits.length === 1 && !group.title && !group.caseNumber ? (
            <SearchResultItem hit={group.hits[0] as PageHit} selected={group.hits[0]?.pageId === selectedId} onOpen={onOpen} />
          ) : (
            <SearchResultGroup group={group} selectedId={selectedId} onOpen={onOpen} />
          )}
        </li>
      ))}
    </ol>
  );
}

/** A document with several matching pages (or a described one): its name once, its pages under it. */
function SearchResultGroup({ group, selectedId, onOpen }: { group: HitGroup; selectedId: string | null; onOpen: (hit: PageHit) => void }) {
  const { t } = useI18n();
  return (
    <section className="result-group" data-testid="search-group" data-document-id={group.documentId}>
      <header className="result-group-head">
        <span className="result-title">{group.title || t('search.untitledDocument')}</span>
        {group.caseNumber && <span className="result-case">{group.caseNumber}</span>}
        <span className="result-date">{t('search.groupPages', { count: group.hits.length })}</span>
      </header>
      <ol className="result-group-pages">
        {group.hits.map((hit) => (
          <li key={hit.pageId}>
            <SearchResultItem hit={hit} selected={hit.pageId === selectedId} onOpen={onOpen} />
          </li>
        ))}
      </ol>
    </section>
  );
}

const SORTS: readonly SearchSort[] = ['relevance', 'newest', 'oldest'];
const SOURCES = ['', 'scan', 'import'] as const;
const BATCH_STATE_FILTERS: readonly (BatchState | 'unbatched')[] = ['unbatched', ...batchStateSchema.options];

/** What the batch filter lists of a batch. */
export interface BatchChoice {
  readonly id: string;
  readonly title: string;
  readonly state: BatchState;
}

type TextFilter = 'from' | 'to' | 'source' | 'status' | 'institution' | 'documentType' | 'batchId' | 'batchState';

/** Institutions and document types the catalog's documents carry, for the filters to offer. */
export interface DescribedValues {
  readonly institutions: readonly string[];
  readonly documentTypes: readonly string[];
}
const NO_DESCRIBED_VALUES: DescribedValues = { institutions: [], documentTypes: [] };

export function describedValues(documents: readonly DocumentRecord[]): DescribedValues {
  const institutions = new Set<string>();
  const documentTypes = new Set<string>();
  for (const { deleted, metadata } of documents) {
    if (deleted) continue;
    if (metadata.institution?.trim()) institutions.add(metadata.institution);
    if (metadata.documentType?.trim()) documentTypes.add(metadata.documentType);
  }
  const sorted = (values: Set<string>) => [...values].sort((a, b) => a.localeCompare(b));
  return { institutions: sorted(institutions), documentTypes: sorted(documentTypes) };
}

/** The filters with one changed; an empty value removes that filter. */
export function withFilter(filters: SearchFilters, key: TextFilter, value: string): SearchFilters {
  const { [key]: _previous, ...rest } = filters;
  if (value === '') return rest;
  switch (key) {
    case 'source': {
      const source = SOURCES.find((option) => option !== '' && option === value);
      return source ? { ...rest, source } : rest;
    }
    case 'status': {
      const status = pageStatusSchema.options.find((option) => option === value);
      return status ? { ...rest, status } : rest;
    }
    case 'batchState': {
      const batchState = BATCH_STATE_FILTERS.find((option) => option === value);
      return batchState ? { ...rest, batchState } : rest;
    }
    default:
      return { ...rest, [key]: value };
  }
}

/** Sorting and the filters: source, date range, batch and where the page's batch stands (open … synced). */
export function SearchFilterBar({
  sort,
  filters,
  batches,
  described = NO_DESCRIBED_VALUES,
  onSort,
  onFilters,
}: {
  sort: SearchSort;
  filters: SearchFilters;
  batches: readonly BatchChoice[];
  described?: DescribedValues;
  onSort: (sort: SearchSort) => void;
  onFilters: (filters: SearchFilters) => void;
}) {
  const { t } = useI18n();
  const set = (key: TextFilter, value: string) => onFilters(withFilter(filters, key, value));
  const active = Object.keys(filters).length > 0;
  // A batch chosen earlier stays selectable even if the catalog no longer lists it.
  const missing = filters.batchId !== undefined && !batches.some((batch) => batch.id === filters.batchId);
  const listed = missing && filters.batchId ? [{ id: filters.batchId, title: '', state: undefined }, ...batches] : batches;
  return (
    <div className="search-filters" role="group" aria-label={t('search.filters')}>
      <label>
        <span>{t('search.sort')}</span>
        <select data-testid="search-sort" value={sort} onChange={(event) => onSort(SORTS.find((value) => value === event.target.value) ?? 'relevance')}>
          {SORTS.map((value) => (
            <option key={value} value={value}>
              {t(`search.sort.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('search.source')}</span>
        <select data-testid="search-source" value={filters.source ?? ''} onChange={(event) => set('source', event.target.value)}>
          {SOURCES.map((value) => (
            <option key={value} value={value}>
              {t(value === '' ? 'search.source.all' : `search.source.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('search.status')}</span>
        <select data-testid="search-status" value={filters.status ?? ''} onChange={(event) => set('status', event.target.value)}>
          <option value="">{t('search.status.all')}</option>
          {pageStatusSchema.options.map((value) => (
            <option key={value} value={value}>
              {t(`page.status.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <ValueFilter testId="search-institution" label={t('search.institution')} all={t('search.institution.all')} values={described.institutions} value={filters.institution} onChange={(value) => set('institution', value)} />
      <ValueFilter testId="search-document-type" label={t('search.documentType')} all={t('search.documentType.all')} values={described.documentTypes} value={filters.documentType} onChange={(value) => set('documentType', value)} />
      <label>
        <span>{t('search.from')}</span>
        <input data-testid="search-from" type="date" value={filters.from ?? ''} onChange={(event) => set('from', event.target.value)} />
      </label>
      <label>
        <span>{t('search.to')}</span>
        <input data-testid="search-to" type="date" value={filters.to ?? ''} onChange={(event) => set('to', event.target.value)} />
      </label>
      <label>
        <span>{t('search.batch')}</span>
        <select data-testid="search-batch" value={filters.batchId ?? ''} onChange={(event) => set('batchId', event.target.value)}>
          <option value="">{t('search.batch.all')}</option>
          {listed.map((batch) => {
            const title = batch.title.trim() || t('search.batch.untitled', { id: batch.id.slice(0, 8) });
            return (
              <option key={batch.id} value={batch.id}>
                {batch.state ? t('search.batch.option', { title, state: t(`batch.state.${batch.state}`) }) : title}
              </option>
            );
          })}
        </select>
      </label>
      <label>
        <span>{t('search.batchState')}</span>
        <select data-testid="search-batch-state" value={filters.batchState ?? ''} onChange={(event) => set('batchState', event.target.value)}>
          <option value="">{t('search.batchState.all')}</option>
          {BATCH_STATE_FILTERS.map((value) => (
            <option key={value} value={value}>
              {t(value === 'unbatched' ? 'search.batchState.unbatched' : `batch.state.${value}`)}
            </option>
          ))}
        </select>
      </label>
      {active && (
        <button type="button" className="link-button" data-testid="search-clear-filters" onClick={() => onFilters({})}>
          {t('search.clearFilters')}
        </button>
      )}
    </div>
  );
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

/** A filter by one of the values the catalog holds; a value chosen earlier stays listed if its documents went. */
function ValueFilter({ testId, label, all, values, value, onChange }: { testId: string; label: string; all: string; values: readonly string[]; value: string | undefined; onChange: (value: string) => void }) {
  const listed = value && !values.includes(value) ? [value, ...values] : values;
  return (
    <label>
      <span>{label}</span>
      <select data-testid={testId} value={value ?? ''} onChange={(event) => onChange(event.target.value)}>
        <option value="">{all}</option>
        {listed.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}
