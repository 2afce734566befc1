/** A mistake in how a command was called (exit code 2), as opposed to a bad input file (exit code 1). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A check that ran and found problems, already reported on stdout (exit code 1). */
export class CheckFailedError extends Error {
  override name = 'CheckFailedError';
}
