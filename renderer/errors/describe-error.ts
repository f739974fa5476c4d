import { ApiError, type ApiErrorCode } from '../../common/api/errors';

export interface DescribedError {
  /** An API error code, or 'unexpected' for anything that did not come from the API. */
  readonly code: ApiErrorCode | 'unexpected';
  readonly message: string;
}

/** Whatever was thrown, in a form the UI can always show. */
export function describeError(error: unknown): DescribedError {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'unexpected', message: error.message || error.name };
  if (typeof error === 'string' && error !== '') return { code: 'unexpected', message: error };
  return { code: 'unexpected', message: safeStringify(error) };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
