import type { GatewayStart, RunningGateway } from './gatewayRuntime';

export type { GatewayStart, RunningGateway } from './gatewayRuntime';

/**
 * Starts the gateway, loading it on first use: the server SDK is not needed at activation. The bundler turns the
 * require below into a load of the separate `dist/gateway.js` (scripts/build.mjs).
 */
export function startGateway(options: GatewayStart): Promise<RunningGateway> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtime = require('./gatewayRuntime') as typeof import('./gatewayRuntime');
  return runtime.startGateway(options);
}
