import type { Dispatch } from '../../services/api/dispatcher';

/**
 * Calls one API method through a dispatcher as a host would, for service tests: the value, or
 * the API error thrown with its `code`, so specs can say `rejects.toMatchObject({ code })`.
 */
export async function callMethod(dispatch: Dispatch, method: string, input: unknown): Promise<unknown> {
  const result = await dispatch(method, input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error);
  return result.value;
}
