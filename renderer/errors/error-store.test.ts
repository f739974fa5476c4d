import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { createErrorStore } from './error-store';

describe('createErrorStore', () => {
  it('shows each reported failure with what the clerk was doing', () => {
    const store = createErrorStore();
    store.report('errors.context.import', new ApiError('unsupported-file', 'Not an image'), { file: 'notes.txt' });
    expect(store.getSnapshot()).toEqual([
      expect.objectContaining({
        context: 'errors.context.import',
        params: { file: 'notes.txt' },
        code: 'unsupported-file',
        message: 'Not an image',
        count: 1,
      }),
    ]);
  });

  it('counts a repeated failure instead of listing it again', () => {
    const store = createErrorStore();
    for (let i = 0; i < 3; i++) store.report('errors.context.listing', new ApiError('unavailable', 'down'));
    store.report('errors.context.import', new ApiError('unavailable', 'down'), { file: 'a.png' });
    store.report('errors.context.import', new ApiError('unavailable', 'down'), { file: 'b.png' });
    expect(store.getSnapshot().map((shown) => shown.count)).toEqual([3, 1, 1]);
  });

  it('dismisses one or all', () => {
    const store = createErrorStore();
    store.report('errors.context.scan', new Error('one'));
    store.report('errors.context.scan', new Error('two'));
    const [first] = store.getSnapshot();
    store.dismiss(first?.id ?? -1);
    expect(store.getSnapshot().map((shown) => shown.message)).toEqual(['two']);
    store.dismissAll();
    expect(store.getSnapshot()).toEqual([]);
  });

  it('tells subscribers of every change with a new snapshot', () => {
    const store = createErrorStore();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    const before = store.getSnapshot();
    store.report('errors.context.scan', new Error('x'));
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot()).not.toBe(before);
    unsubscribe();
    store.report('errors.context.scan', new Error('y'));
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('keeps the newest failures when there are very many', () => {
    const store = createErrorStore();
    for (let i = 0; i < 50; i++) store.report('errors.context.scan', new Error(`failure ${i}`));
    const shown = store.getSnapshot();
    expect(shown.length).toBeLessThan(50);
    expect(shown[shown.length - 1]?.message).toBe('failure 49');
  });
});
