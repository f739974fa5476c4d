import { z } from 'zod';

/**
 * Every failure that crosses the API boundary is one of these codes, so the renderer can
 * tell a clerk what happened (and tests can assert on it) without parsing messages.
 */
export const apiErrorCodes = [
  'bad-request', // the input does not match the method's schema
  'unknown-method',
  'payload-too-large',
  'unauthorized', // missing or wrong per-launch token (local host); a wrong passphrase, or another person's signing key
  'unauthenticated', // nobody is signed in at the workstation, and the operation needs a person
  'not-found',
  'conflict', // valid input, but the record changed meanwhile or is in a state that forbids it
  'unsupported-file', // a file we cannot read as an image
  'device-error', // a scanner reported a failure (jam, cover open, ...)
  'unavailable', // a dependency (scanner stack, OCR models) is missing on this machine
  'internal',
] as const;

export const apiErrorCodeSchema = z.enum(apiErrorCodes);
export type ApiErrorCode = z.infer<typeof apiErrorCodeSchema>;

export const apiErrorSchema = z.object({
  code: apiErrorCodeSchema,
  message: z.string(),
  /** Machine-readable detail, e.g. which fields failed validation. */
  details: z.unknown().optional(),
});
export type ApiErrorShape = z.infer<typeof apiErrorSchema>;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  toShape(): ApiErrorShape {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromShape(shape: ApiErrorShape): ApiError {
    return new ApiError(shape.code, shape.message, shape.details);
  }
}
