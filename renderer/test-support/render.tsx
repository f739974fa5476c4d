import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ServicesProvider } from '../app/ServicesContext';
import type { AppServices } from '../app/services';
import { ArkivaCatalog } from '../catalog/catalog-db';
import { createErrorStore } from '../errors/error-store';
import type { Locale } from '../i18n/catalogs';
import { I18nProvider } from '../i18n/I18nProvider';
import { openInThreadPort } from '../search/in-thread-port';
import { createPageSearch } from '../search/page-search';
import type { ArchiveSync } from '../sync/archive-sync';
import { fakeApi } from './fake-api';

/** Services for rendering a component to markup; nothing in them is started. */
export function staticServices(): AppServices {
  const sync: ArchiveSync = { loaded: Promise.resolve(), ingest: async () => undefined, stop: () => undefined };
  return {
    api: fakeApi().api,
    catalog: new ArkivaCatalog('static-render'),
    search: createPageSearch({ open: openInThreadPort, fallback: openInThreadPort, onError: () => undefined, onReset: () => undefined }),
    sync,
    documentSync: { loaded: Promise.resolve(), stop: () => undefined },
    batchSync: { loaded: Promise.resolve(), stop: () => undefined },
    auditSync: { loaded: Promise.resolve(), refresh: async () => undefined, stop: () => undefined },
    errors: createErrorStore(),
  };
}

/** The first render of a component, as HTML: what the clerk (and the end-to-end tests) see before any effect runs. */
export function renderStatic(ui: ReactNode, services: AppServices = staticServices(), locale: Locale = 'en'): HTMLDocumentLike {
  const html = renderToStaticMarkup(
    <I18nProvider locale={locale}>
      <ServicesProvider services={services}>{ui}</ServicesProvider>
    </I18nProvider>,
  );
  return parseMarkup(html);
}

export interface ElementLike {
  readonly tag: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Text content, entities decoded, tags removed. */
  readonly text: string;
  /** The element's own markup. */
  readonly html: string;
}

export interface HTMLDocumentLike {
  readonly html: string;
  /** Elements carrying `data-testid="id"`, in document order. */
  byTestId(id: string): ElementLike[];
  /** Elements with the given tag name, in document order. */
  byTag(tag: string): ElementLike[];
}

/**
 * Just enough of a DOM over React's static markup to find elements by test id. The tests run in
 * Node without a DOM library; React's server output is well-formed, so a tag matcher suffices.
 */
function parseMarkup(html: string): HTMLDocumentLike {
  const elements: (ElementLike & { start: number })[] = [];
  const open: { tag: string; attributes: Record<string, string>; start: number }[] = [];
  const tagPattern = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w:-]+(?:="[^"]*")?)*)\s*(\/?)>/g;
  const voidTags = new Set(['img', 'input', 'br', 'hr', 'meta', 'link']);
  for (const match of html.matchAll(tagPattern)) {
    const [whole, closing, tag = '', rawAttributes = '', selfClosing] = match;
    if (closing) {
      const index = open.map((entry) => entry.tag).lastIndexOf(tag);
      if (index < 0) continue;
      const [entry] = open.splice(index, 1);
      if (!entry) continue;
      const outer = html.slice(entry.start, match.index + whole.length);
      elements.push({ tag, attributes: entry.attributes, html: outer, text: textOf(outer), start: entry.start });
      open.splice(index);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const attribute of rawAttributes.matchAll(/([\w:-]+)(?:="([^"]*)")?/g)) {
      attributes[attribute[1] ?? ''] = decode(attribute[2] ?? '');
    }
    if (selfClosing || voidTags.has(tag)) elements.push({ tag, attributes, html: whole, text: '', start: match.index });
    else open.push({ tag, attributes, start: match.index });
  }
  elements.sort((a, b) => a.start - b.start);
  return {
    html,
    byTestId: (id) => elements.filter((element) => element.attributes['data-testid'] === id),
    byTag: (tag) => elements.filter((element) => element.tag === tag),
  };
}

function textOf(markup: string): string {
  return decode(markup.replace(/<[^>]*>/g, ''));
}

function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
