import { describe, expect, it } from 'vitest';
import type { FixityReport } from '../../common/api/contract';
import { renderStatic } from '../test-support/render';
import { FixityView, formatBytes, MaintenanceView, RebuildView } from './MaintenancePanel';

const checked = { originals: 12, derived: 12, pages: 14, documentRevisions: 5, bytes: 3_460_000 };
const none = () => undefined;

describe('the maintenance panel', () => {
  it('offers the archive check and the rebuild, and shows nothing else before either is run', () => {
    const doc = renderStatic(<MaintenanceView fixity={{ phase: 'idle' }} rebuild={{ phase: 'idle' }} onCheck={none} onRebuild={none} />);
    expect(doc.byTestId('check-fixity')[0]?.text).toBe('Check archive');
    expect(doc.byTestId('rebuild-caches')[0]?.text).toBe('Rebuild catalog and index from the archive');
    expect(doc.byTestId('fixity-result')).toEqual([]);
    expect(doc.byTestId('rebuild-result')).toEqual([]);
  });

  it('does not start a second check or rebuild while one runs', () => {
    const doc = renderStatic(<MaintenanceView fixity={{ phase: 'checking' }} rebuild={{ phase: 'running', progress: { phase: 'reading' } }} onCheck={none} onRebuild={none} />);
    expect(doc.byTestId('check-fixity')[0]?.attributes['disabled']).toBe('');
    expect(doc.byTestId('rebuild-caches')[0]?.attributes['disabled']).toBe('');
  });
});

describe('the archive check', () => {
  it('says the archive is intact and what was checked', () => {
    const doc = renderStatic(<FixityView state={{ phase: 'done', report: { ok: true, checked, problems: [], notes: [] } }} />);
    const [result] = doc.byTestId('fixity-result');
    expect(result?.attributes['data-state']).toBe('intact');
    expect(result?.text).toContain('The archive is intact.');
    expect(result?.text).toContain('originals: 12, display copies: 12, page records: 14, document revisions: 5, total 3.3 MB');
  });

  it('lists every problem and note with its kind, its path in the archive and what was found', () => {
    const report: FixityReport = {
      ok: false,
      checked,
      problems: [
        { kind: 'changed', path: 'originals/3f/3f2a….tif', message: 'SHA-256 is 9b1c…, the file name says 3f2a…' },
        { kind: 'missing', path: 'derived/aa/aa01…/display.png', message: 'named by the page record but not on disk' },
      ],
      notes: [{ kind: 'unreferenced', path: 'originals/77/7700….png', message: 'no page record names it' }],
    };
    const doc = renderStatic(<FixityView state={{ phase: 'done', report }} />);
    expect(doc.byTestId('fixity-result')[0]?.text).toContain('2 problems found.');
    expect(doc.byTestId('fixity-problem').map((item) => [item.attributes['data-kind'], item.text])).toEqual([
      ['changed', 'Changed originals/3f/3f2a….tifSHA-256 is 9b1c…, the file name says 3f2a…'],
      ['missing', 'Missing derived/aa/aa01…/display.pngnamed by the page record but not on disk'],
    ]);
    expect(doc.byTestId('fixity-note')[0]?.text).toContain('Unreferenced original originals/77/7700….png');
  });

  it('says why a check could not run', () => {
    const doc = renderStatic(<FixityView state={{ phase: 'failed', error: { code: 'internal', message: 'EIO: i/o error' } }} />);
    expect(doc.byTestId('fixity-result')[0]?.text).toBe('The archive could not be checked: Internal error in the services — EIO: i/o error');
  });
});

describe('the rebuild', () => {
  it('shows how far it has come', () => {
    const doc = renderStatic(<RebuildView state={{ phase: 'running', progress: { phase: 'pages', done: 500, total: 1203 } }} />);
    expect(doc.byTestId('rebuild-result')[0]?.text).toBe('Taking in pages: 500 of 1,203…');
    expect(doc.byTag('progress')[0]?.attributes['value']).toBe('500');
  });

  it('counts what was taken in, and names the archive files that could not be read', () => {
    const doc = renderStatic(
      <RebuildView
        state={{
          phase: 'done',
          result: { pages: 14, documents: 6, liveDocuments: 5, persons: 9, unreadable: [{ path: 'documents/3f/…/0002.json', reason: 'Unexpected end of JSON input' }] },
        }}
      />,
    );
    const [result] = doc.byTestId('rebuild-result');
    expect(result?.text).toContain('pages: 14, documents: 5 (deleted, kept as history: 1), persons named: 9');
    expect(result?.text).toContain('1 file of the archive could not be read');
    expect(doc.byTestId('rebuild-unreadable')[0]?.text).toBe('documents/3f/…/0002.jsonUnexpected end of JSON input');
  });

  it('formats sizes as a clerk reads them', () => {
    expect([0, 1023, 1024, 3_460_000, 52 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '1023 B', '1.0 KB', '3.3 MB', '52 GB']);
  });
});
