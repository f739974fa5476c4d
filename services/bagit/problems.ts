/**
 * What a validation found. Every problem names a machine-readable code (tests and the supervisor's
 * report key on it), the file it concerns when there is one, and a sentence a person can act on.
 */
export interface BagProblem {
  readonly code: string;
  /** Path inside the bag, `/`-separated, as the bag names it. */
  readonly path?: string;
  readonly message: string;
}

export class ProblemList {
  readonly errors: BagProblem[] = [];
  readonly warnings: BagProblem[] = [];

  error(code: string, message: string, path?: string): void {
    this.errors.push(path === undefined ? { code, message } : { code, path, message });
  }

  warn(code: string, message: string, path?: string): void {
    this.warnings.push(path === undefined ? { code, message } : { code, path, message });
  }
}

export function describeProblem(problem: { readonly code: string; readonly path?: string | undefined; readonly message: string }): string {
  return problem.path === undefined ? `${problem.code}: ${problem.message}` : `${problem.code}: ${problem.path}: ${problem.message}`;
}
