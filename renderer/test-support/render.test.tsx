import { describe, expect, it } from 'vitest';
import { renderStatic } from './render';

describe('renderStatic', () => {
  it('finds nested elements by test id and tag, in document order, with decoded text and attributes', () => {
    const doc = renderStatic(
      <ul data-testid="list" title={'a "quoted" & <odd> title'}>
        <li data-testid="item" data-status="one">
          First <b>bold</b>
        </li>
        <li data-testid="item" data-status="two">
          <img src="x.png" alt="" />
          Second
        </li>
      </ul>,
    );
    expect(doc.byTestId('list')[0]?.attributes['title']).toBe('a "quoted" & <odd> title');
    expect(doc.byTestId('item').map((item) => [item.attributes['data-status'], item.text])).toEqual([
      ['one', 'First bold'],
      ['two', 'Second'],
    ]);
    expect(doc.byTag('img')).toHaveLength(1);
  });
});
