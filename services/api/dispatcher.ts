import { z } from 'zod';
import { isMethodName, methods, type MethodName, type MethodOutput, type ParsedInput } from '../../common/api/contract';
import { ApiError } from '../../common/api/errors';
import type { WireResult } from '../../common/api/wire';

export type Handlers = {
  readonly [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>>;
};

export type Dispatch = (method: unknown, rawInput: unknown) => Promise<WireResult>;

/**
 * The boundary both hosts share: unknown methods, inputs that fail their schema and handler
 * failures all come back as typed errors, never as a thrown exception that could take a host down.
 * Outputs are checked too, so a service that breaks the contract is caught here, not in the UI.
 */
export function createDispatcher(handlers: Handlers, log: (message: string) => void = console.error): Dispatch {
  return async (method, rawInput) => {
    if (!isMethodName(method)) {
      return failure(new ApiError('unknown-method', `Unknown method: ${describe(method)}`));
    }
    const schema = methods[method];
    const parsed = schema.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      return failure(
        new ApiError('bad-request', `Invalid input for ${method}: ${z.prettifyError(parsed.error)}`, parsed.error.issues),
      );
    }
    try {
      const handler = handlers[method] as (input: unknown) => Promise<unknown>;
      const output = schema.output.safeParse(await handler(parsed.data));
      if (!output.success) {
        log(`${method} returned output that breaks the contract: ${z.prettifyError(output.error)}`);
        return failure(new ApiError('internal', `${method} produced an invalid response`));
      }
      return { ok: true, value: output.data };
    } catch (error) {
      if (error instanceof ApiError) return failure(error);
      log(`${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return failure(new ApiError('internal', error instanceof Error ? error.message : String(error)));
    }
  };
}

export function failure(error: ApiError): WireResult {
  return { ok: false, error: error.toShape() };
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
