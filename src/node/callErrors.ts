/**
 * Why a tool call did not complete when nothing went wrong with the server: the user cancelled it, or stopped the
 * server. The editor shows these as information, not as errors; it recognizes them by `name`, because the SDK
 * side is bundled separately and `instanceof` does not cross bundles.
 */

/** The caller's AbortSignal fired: the user cancelled the call. */
export class CallCancelledError extends Error {
  constructor(tool: string, cause?: unknown) {
    super(`the call to '${tool}' was cancelled`, { cause });
    this.name = 'CallCancelledError';
  }
}

/** MCP Warden closed the session (Stop, Restart, shutdown) while the call was running. */
export class SessionStoppedError extends Error {
  constructor(
    tool: string,
    cause?: unknown,
    /** Set when the session ended for a restart MCP Warden made, e.g. to apply a new sandbox profile. */
    readonly restartReason?: string,
  ) {
    super(restartReason ? `server restarted while the call to '${tool}' was running (${restartReason}); call it again` : `server stopped while the call to '${tool}' was running`, { cause });
    this.name = 'SessionStoppedError';
  }
}
