import { describe, expect, it } from 'vitest';
import { createLatestRequest } from './latest-request';

describe('the newest request', () => {
  it('is the only one whose reply still counts, whatever order the replies come in', () => {
    const requests = createLatestRequest();
    const first = requests.begin();
    expect(first()).toBe(true);
    const second = requests.begin();
    expect(first()).toBe(false);
    expect(second()).toBe(true);
  });

  it('is counted separately for each kind of request', () => {
    const keys = createLatestRequest();
    const other = createLatestRequest();
    const listing = keys.begin();
    other.begin();
    expect(listing()).toBe(true);
  });
});
