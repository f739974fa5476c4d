import { describe, expect, it } from 'vitest';
import type { PageRecord } from '../../common/api/contract';
import { failedPage, pendingPage, recognizedPage } from '../test-support/pages';
import { renderStatic } from '../test-support/render';
import { PageListView } from './PageList';

const pending = pendingPage({ source: { kind: 'import', fileName: 'deklarata-07.jpg' } });
const recognized = { ...recognizedPage(pendingPage(), 'text'), ocr: { text: 'text', confidence: 91.6, languages: 'sqi', words: [] } };
const scanned = failedPage(
  pendingPage({ source: { kind: 'scan', deviceId: 'sane:fujitsu:fi-7160', settings: { source: 'adf', resolution: 300, mode: 'gray' } } }),
  'Tesseract could not read the image',
);
const noReason: PageRecord = { ...pendingPage(), status: 'failed' };

const render = (pages: PageRecord[], total = pages.length) =>
  renderStatic(<PageListView listing={{ pages, total }} selectedId={recognized.id} onOpen={() => undefined} />);

describe('PageListView', () => {
  it('renders one page-item per page inside page-list, carrying its status and id', () => {
    const doc = render([pending, recognized, scanned]);
    expect(doc.byTestId('page-list')).toHaveLength(1);
    expect(doc.byTestId('page-item').map((item) => [item.attributes['data-status'], item.attributes['data-page-id']])).toEqual([
      ['pending-ocr', pending.id],
      ['recognized', recognized.id],
      ['failed', scanned.id],
    ]);
  });

  it('names each page by file name, or by scanner for scans, and shows its status', () => {
    const [first, , third] = render([pending, recognized, scanned]).byTestId('page-item');
    expect(first?.text).toContain('deklarata-07.jpg');
    expect(first?.text).toContain('Pending OCR');
    expect(third?.text).toContain('Scan · sane:fujitsu:fi-7160');
  });

  it('shows OCR confidence of recognized pages and the reason a page failed', () => {
    const [, second, third] = render([pending, recognized, scanned]).byTestId('page-item');
    expect(second?.text).toContain('Recognized');
    expect(second?.text).toContain('92%');
    expect(third?.text).toContain('OCR failed');
    expect(third?.text).toContain('Reason: Tesseract could not read the image');
  });

  it('says so when a failed page came without a reason', () => {
    expect(render([noReason]).byTestId('page-item')[0]?.text).toContain('Reason: no reason given');
  });

  it('marks the open page', () => {
    const selected = render([pending, recognized]).byTestId('page-item').filter((item) => item.attributes['class']?.includes('selected'));
    expect(selected.map((item) => item.attributes['data-page-id'])).toEqual([recognized.id]);
  });

  it('invites the clerk to start when the catalog is empty, and says when the list is cut short', () => {
    expect(render([]).byTestId('page-list')[0]?.text).toContain('No pages yet');
    expect(render([pending], 1200).byTestId('page-list')[0]?.text).toContain('Showing the newest 1 of 1,200.');
  });

  it('keeps the page-list container while the catalog loads', () => {
    const doc = renderStatic(<PageListView listing={null} selectedId={null} onOpen={() => undefined} />);
    expect(doc.byTestId('page-list')[0]?.text).toContain('Loading the catalog');
  });
});
