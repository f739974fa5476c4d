import { describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { createErrorStore } from '../errors/error-store';
import { renderStatic } from '../test-support/render';
import { ErrorBannerView } from './ErrorBanner';

describe('ErrorBannerView', () => {
  it('is absent while nothing has failed', () => {
    const store = createErrorStore();
    expect(renderStatic(<ErrorBannerView shown={store.getSnapshot()} store={store} />).byTestId('error-banner')).toEqual([]);
  });

  it('shows every failure with what was being done, the kind of failure and the detail', () => {
    const store = createErrorStore();
    store.report('errors.context.import', new ApiError('unsupported-file', 'Not a PNG, JPEG or TIFF image'), { file: 'notes.txt' });
    store.report('errors.context.scan', new ApiError('device-error', 'Paper jam'));
    store.report('errors.context.scan', new ApiError('device-error', 'Paper jam'));
    const [banner] = renderStatic(<ErrorBannerView shown={store.getSnapshot()} store={store} />).byTestId('error-banner');
    expect(banner?.text).toContain('Import of “notes.txt” failed: Not a readable image — Not a PNG, JPEG or TIFF image');
    expect(banner?.text).toContain('Scan failed: The scanner reported a problem — Paper jam ×2');
  });
});
