import { describe, expect, it } from 'vitest';
import { pendingPage, recognizedPage, word } from '../test-support/pages';
import { renderStatic } from '../test-support/render';
import { PageViewer, PageViewerView } from './PageViewer';

const page = recognizedPage(pendingPage({ width: 1000, height: 2000 }), 'Raport nga Prishtinë. Prishtina.', [
  word('Raport', 100, 100, 300, 150),
  word('nga', 320, 100, 400, 150),
  word('Prishtinë.', 420, 100, 700, 150),
  word('Prishtina', 100, 1000, 500, 1100),
]);
/** `left:42%;top:5%` → { left: 42, top: 5 } */
function percentages(style: string): Record<string, number> {
  return Object.fromEntries(style.split(';').map((rule) => {
    const [name = '', value = ''] = rule.split(':');
    return [name.trim(), Number.parseFloat(value)];
  }));
}

const ready = { phase: 'ready', src: 'data:image/png;base64,iVBORw0KGgo=' } as const;

describe('PageViewerView', () => {
  it('shows the page image inside page-viewer', () => {
    const doc = renderStatic(<PageViewerView page={page} image={ready} terms={[]} onClose={() => undefined} />);
    expect(doc.byTestId('page-viewer')).toHaveLength(1);
    expect(doc.byTag('img').map((img) => img.attributes['src'])).toEqual([ready.src]);
    expect(doc.byTestId('hit-box')).toEqual([]);
  });

  it('draws a hit-box over each matched word, scaled to the page as displayed', () => {
    const doc = renderStatic(<PageViewerView page={page} image={ready} terms={['prishtine']} onClose={() => undefined} />);
    const boxes = doc.byTestId('hit-box');
    expect(boxes).toHaveLength(1);
    const style = percentages(boxes[0]?.attributes['style'] ?? '');
    // "Prishtinë." spans x 420–700, y 100–150 of a 1000 × 2000 original.
    expect(style['left']).toBeCloseTo(42);
    expect(style['top']).toBeCloseTo(5);
    expect(style['width']).toBeCloseTo(28);
    expect(style['height']).toBeCloseTo(2.5);
    expect(doc.byTestId('page-viewer')[0]?.text).toContain('1 match highlighted');
  });

  it('says when the matched terms are not among the recognised words', () => {
    const doc = renderStatic(<PageViewerView page={page} image={ready} terms={['raporti']} onClose={() => undefined} />);
    expect(doc.byTestId('hit-box')).toEqual([]);
    expect(doc.html).toContain('not among the words recognised');
  });

  it('shows why the image could not be loaded', () => {
    const doc = renderStatic(
      <PageViewerView
        page={page}
        image={{ phase: 'failed', error: { code: 'not-found', message: 'No such page' } }}
        terms={[]}
        onClose={() => undefined}
      />,
    );
    expect(doc.byTag('img')).toEqual([]);
    expect(doc.byTestId('page-viewer')[0]?.text).toContain('The page image could not be loaded: Not found — No such page');
  });

  it('shows why OCR failed on a failed page', () => {
    const failed = { ...pendingPage(), status: 'failed' as const, failure: 'image is blank' };
    const doc = renderStatic(<PageViewerView page={failed} image={ready} terms={[]} onClose={() => undefined} />);
    expect(doc.byTestId('page-viewer')[0]?.text).toContain('Reason: image is blank');
  });
});

describe('PageViewer', () => {
  it('invites the clerk to open a page when none is open', () => {
    const doc = renderStatic(<PageViewer selection={null} onClose={() => undefined} />);
    expect(doc.byTestId('page-viewer')).toEqual([]);
    expect(doc.html).toContain('Open a page from the list');
  });
});
