import type { ServerContext } from '@modelcontextprotocol/server';
import type { ProgressUpdate } from '../../core/lifecycle/session';

/** Progress of the backing server, sent to the agent under the token it gave; nothing when it gave none. */
export function progressReporter(ctx: ServerContext): ((update: ProgressUpdate) => void) | undefined {
  const progressToken = ctx.mcpReq._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  return (update) => {
    const params = { progressToken, progress: update.progress, ...(update.total !== undefined && { total: update.total }), ...(update.message !== undefined && { message: update.message }) };
    // The agent may be gone: progress is news, never a failure of the call.
    ctx.mcpReq.notify({ method: 'notifications/progress', params }).catch(() => undefined);
  };
}
