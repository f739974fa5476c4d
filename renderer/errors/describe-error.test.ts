import { describe, expect, it } from 'vitest';
import { ApiError } from '../../common/api/errors';
import { describeError } from './describe-error';

describe('describeError', () => {
  it('keeps the code and message of API errors', () => {
    expect(describeError(new ApiError('device-error', 'Paper jam in the ADF'))).toEqual({
      code: 'device-error',
      message: 'Paper jam in the ADF',
    });
  });

  it('shows other errors as unexpected, with their message', () => {
    expect(describeError(new TypeError('x is undefined'))).toEqual({ code: 'unexpected', message: 'x is undefined' });
    expect(describeError(new Error(''))).toEqual({ code: 'unexpected', message: 'Error' });
  });

  it('shows thrown values that are not errors', () => {
    expect(describeError('quota exceeded')).toEqual({ code: 'unexpected', message: 'quota exceeded' });
    expect(describeError({ reason: 'x' })).toEqual({ code: 'unexpected', message: '{"reason":"x"}' });
    expect(describeError(undefined)).toEqual({ code: 'unexpected', message: 'undefined' });
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(describeError(circular).message).toBe('[object Object]');
  });
});
