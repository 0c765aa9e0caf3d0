/**
 * A start that failed. `retryable` failures (a process that exited, a refused connection) are handled like
 * crashes; the others (no such command, a bad URL, a handshake timeout) need the user to change something.
 */
export class LaunchError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'LaunchError';
  }
}

/** True for a LaunchError that needs the user to change something; checked by shape, as the SDK side is a separate bundle. */
export function isPermanentLaunchError(error: unknown): boolean {
  return error instanceof Error && error.name === 'LaunchError' && (error as { retryable?: unknown }).retryable === false;
}

