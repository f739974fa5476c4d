export const importErrorCodes = ['empty-file', 'corrupt', 'unsupported-format', 'too-large'] as const;

export type ImportErrorCode = (typeof importErrorCodes)[number];

/** Why a file offered for import cannot become a page. The message names the file, for the clerk. */
export class ImportError extends Error {
  override readonly name = 'ImportError';

  constructor(
    readonly code: ImportErrorCode,
    readonly fileName: string,
    message: string,
    options: { readonly detail?: string | undefined; readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.detail = options.detail;
  }

  /** What the decoder said, for support staff and logs. */
  readonly detail: string | undefined;
}

export function isImportError(error: unknown, code?: ImportErrorCode): error is ImportError {
  return error instanceof ImportError && (code === undefined || error.code === code);
}
