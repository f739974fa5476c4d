/**
 * Runs `work` on every item with at most `concurrency` at a time, and hands each outcome to
 * `report` in input order, so output reads like a sequential run while the work overlaps.
 * A failure is reported like a result; it never stops the other items.
 */
export async function forEachInOrder<I, R>(
  items: readonly I[],
  concurrency: number,
  work: (item: I) => Promise<R>,
  report: (item: I, outcome: PromiseSettledResult<R>) => void,
): Promise<void> {
  const outcomes: Promise<PromiseSettledResult<R>>[] = [];
  let next = 0;

  function launch(): void {
    if (next >= items.length) return;
    const item = items[next] as I;
    outcomes[next] = settle(() => work(item)).finally(launch);
    next += 1;
  }

  for (let started = 0; started < Math.max(1, concurrency); started += 1) launch();
  for (const [index, item] of items.entries()) {
    report(item, await (outcomes[index] as Promise<PromiseSettledResult<R>>));
  }
}

async function settle<R>(work: () => Promise<R>): Promise<PromiseSettledResult<R>> {
  try {
    return { status: 'fulfilled', value: await work() };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}
