/** What a command writes to; the entry point binds it to the process, tests may capture it. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const EXIT = {
  ok: 0,
  /** Something failed (a file, the OCR engine); the rest was still done. */
  failed: 1,
  /** The command line itself is wrong; nothing was done. */
  usage: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** One `arkiva <name> ...` subcommand. */
export interface Command {
  readonly name: string;
  /** One line, for the command list in `arkiva --help`. */
  readonly summary: string;
  /** The full `arkiva <name> --help` text. */
  help(): string;
  /** Runs with the arguments after the command name. Throws UsageError for a wrong command line. */
  run(args: string[], io: CliIo): Promise<ExitCode>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}
