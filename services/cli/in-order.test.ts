import { describe, expect, it } from 'vitest';
import { forEachInOrder } from './in-order';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('forEachInOrder', () => {
  it('reports in input order even when later items finish first', async () => {
    const reported: string[] = [];
    const delays = { slow: 30, quick: 1, middle: 10 };
    await forEachInOrder(Object.keys(delays) as (keyof typeof delays)[], 3, async (item) => {
      await sleep(delays[item]);
      return item.toUpperCase();
    }, (item, outcome) => reported.push(`${item}=${outcome.status === 'fulfilled' ? outcome.value : 'failed'}`));
    expect(reported).toEqual(['slow=SLOW', 'quick=QUICK', 'middle=MIDDLE']);
  });

  it('never has more than `concurrency` items in flight', async () => {
    let inFlight = 0;
    let most = 0;
    await forEachInOrder(Array.from({ length: 9 }, (_, index) => index), 2, async (index) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep(index % 3);
      inFlight -= 1;
    }, () => {});
    expect(most).toBe(2);
  });

  it('reports a failure like a result and carries on with the rest', async () => {
    const reported: string[] = [];
    await forEachInOrder(['a', 'bad', 'c'], 2, async (item) => {
      if (item === 'bad') throw new Error('unreadable');
      return item;
    }, (item, outcome) => reported.push(outcome.status === 'fulfilled' ? outcome.value : `${item}: ${String(outcome.reason)}`));
    expect(reported).toEqual(['a', 'bad: Error: unreadable', 'c']);
  });
});
