import type { LaunchRequest, Session, SessionLauncher } from '../core/lifecycle/session';
import type { McpLauncher, McpLauncherOptions } from './mcpLauncher';

/**
 * A launcher that loads the MCP SDK on the first start instead of at activation: the SDK takes ~50 ms to
 * load, and a workspace whose servers do not autostart should not pay that to open. The bundler turns the
 * require below into a load of the separate `dist/mcpClient.js`.
 */
export function lazyMcpLauncher(options: McpLauncherOptions): SessionLauncher {
  let launcher: McpLauncher | undefined;
  return {
    launch(request: LaunchRequest): Promise<Session> {
      if (!launcher) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require('./mcpLauncher') as typeof import('./mcpLauncher');
        launcher = new module.McpLauncher(options);
      }
      return launcher.launch(request);
    },
  };
}
